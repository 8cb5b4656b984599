package dev.airlock.core.engine.module;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import dev.airlock.core.ModuleRejectedException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import java.util.function.Function;

/** Machines made from classes: those of the module cache and those compiled ahead of time. */
final class Machines {
    private Machines() {}

    /**
     * A factory calling {@code ctor} (a public constructor taking the instance); what the
     * constructor throws is thrown as it is (a checked exception wrapped in an {@link
     * IllegalStateException}).
     */
    static Function<Instance, Machine> factory(Constructor<? extends Machine> ctor) {
        return inst -> {
            try {
                return ctor.newInstance(inst);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                if (e.getCause() instanceof Error) {
                    throw (Error) e.getCause();
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /**
     * A module compiled ahead of time: {@code bytes} parsed and validated as usual, its machine
     * {@code machineClass} from {@code loader}.
     *
     * @throws ModuleRejectedException if the bytes are invalid or the class is unusable
     */
    static CompiledModule precompiled(
            byte[] bytes, String sha, String machineClass, ClassLoader loader)
            throws ModuleRejectedException {
        WasmModule module = ModuleParser.parse(bytes, sha);
        Constructor<? extends Machine> ctor;
        try {
            Class<?> c = Class.forName(machineClass, true, loader);
            if (!Machine.class.isAssignableFrom(c)) {
                throw new ModuleRejectedException(
                        "invalid", machineClass + " is not a machine", sha);
            }
            ctor = c.asSubclass(Machine.class).getConstructor(Instance.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ModuleRejectedException(
                    "invalid",
                    "cannot load machine " + machineClass + ": " + ModuleParser.describe(e),
                    sha,
                    e);
        }
        return new CompiledModule(
                sha,
                bytes.length,
                module,
                factory(ctor),
                Set.of(),
                true,
                "compiled ahead of time: " + machineClass,
                () -> bytes,
                null,
                false);
    }
}
