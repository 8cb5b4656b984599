package dev.airlock.core;

import java.util.List;
import java.util.Objects;

/**
 * A host function granted to the guest by the {@link Policy}, importable as {@code module.name}.
 * Its calls pass the mediation point like every WASI call: they are counted, timed and emitted as
 * events. The handler sees only numeric arguments, never guest memory.
 *
 * @param module import module name; must not be {@code wasi_snapshot_preview1}
 * @param name import name
 * @param params parameter types
 * @param results result types (at most one)
 * @param handler the host side; runs on the guest's thread and counts against its timeout
 */
public record HostImport(
        String module,
        String name,
        List<ValueType> params,
        List<ValueType> results,
        Handler handler) {

    /** WebAssembly number types. */
    public enum ValueType {
        I32,
        I64,
        F32,
        F64
    }

    /** The host side of a {@link HostImport}. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param args the arguments as raw 64-bit values (floats as their bits)
         * @return the results, or {@code null} / empty when there are none
         */
        long[] call(long[] args);
    }

    public HostImport {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        params = List.copyOf(params);
        results = List.copyOf(results);
        if (module.equals("wasi_snapshot_preview1")) {
            throw new IllegalArgumentException("WASI functions cannot be replaced");
        }
        if (results.size() > 1) {
            throw new IllegalArgumentException("at most one result is supported");
        }
    }

    /** A function of no parameters and no results. */
    public static HostImport ofVoid(String module, String name, Runnable action) {
        return new HostImport(
                module,
                name,
                List.of(),
                List.of(),
                args -> {
                    action.run();
                    return null;
                });
    }
}
