package dev.airlock.core;

import java.util.List;
import java.util.Objects;

/**
 * A host function for one {@linkplain Airlock#instantiate instance} that may use the guest's memory
 * and exports through {@link GuestAccess}, such as the bridge an interpreter runtime expects. Its
 * calls pass the mediation point like every other host call.
 *
 * @param module import module name; must not be {@code wasi_snapshot_preview1}
 * @param name import name
 * @param params parameter types
 * @param results result types (at most one)
 * @param handler the host side
 */
public record LinkedImport(
        String module,
        String name,
        List<HostImport.ValueType> params,
        List<HostImport.ValueType> results,
        Handler handler) {

    /** The host side of a {@link LinkedImport}. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param guest the calling instance
         * @param args the arguments as raw 64-bit values
         * @return the results, or {@code null} / empty when there are none
         */
        long[] call(GuestAccess guest, long[] args);
    }

    public LinkedImport {
        Objects.requireNonNull(handler, "handler");
        params = List.copyOf(params);
        results = List.copyOf(results);
        HostImport.checkImport(module, name, results);
    }
}
