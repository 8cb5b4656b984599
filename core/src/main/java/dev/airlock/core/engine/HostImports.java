package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.HostImport;
import dev.airlock.core.Policy;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Binds the policy's granted {@link HostImport}s, each call passing the mediator. */
final class HostImports {
    private HostImports() {}

    static FunctionType type(HostImport h) {
        return FunctionType.of(convert(h.params()), convert(h.results()));
    }

    static List<ValType> convert(List<HostImport.ValueType> types) {
        List<ValType> out = new ArrayList<>();
        for (HostImport.ValueType t : types) {
            switch (t) {
                case I32:
                    out.add(ValType.I32);
                    break;
                case I64:
                    out.add(ValType.I64);
                    break;
                case F32:
                    out.add(ValType.F32);
                    break;
                default:
                    out.add(ValType.F64);
                    break;
            }
        }
        return out;
    }

    /** The rules for a host module: granted functions are allowed, nothing else exists. */
    static Function<String, Verdict> rules(Policy policy, String module) {
        for (HostImport h : policy.hostImports()) {
            if (h.module().equals(module)) {
                return name -> Verdict.ALLOW;
            }
        }
        return null;
    }

    /** WASI plus the granted host functions, all mediated. */
    static HostFunction[] functions(WasiBinding wasi, Policy policy, Mediator mediator) {
        HostFunction[] base = wasi.functions();
        if (policy.hostImports().isEmpty()) {
            return base;
        }
        HostFunction[] all = Arrays.copyOf(base, base.length + policy.hostImports().size());
        int i = base.length;
        for (HostImport h : policy.hostImports()) {
            boolean hasResult = !h.results().isEmpty();
            all[i++] =
                    new HostFunction(
                            h.module(),
                            h.name(),
                            type(h),
                            (inst, args) -> {
                                long r =
                                        mediator.call(
                                                h.module(),
                                                h.name(),
                                                Map.of("args", args.length),
                                                () -> {
                                                    long[] out = h.handler().call(args.clone());
                                                    return out == null || out.length == 0
                                                            ? 0
                                                            : out[0];
                                                });
                                return hasResult ? new long[] {r} : null;
                            });
        }
        return all;
    }
}
