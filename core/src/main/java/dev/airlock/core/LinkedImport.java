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
 * @param summary what the audit event of a call records of its arguments, or null for their count
 */
public record LinkedImport(
        String module,
        String name,
        List<HostImport.ValueType> params,
        List<HostImport.ValueType> results,
        Handler handler,
        Summary summary) {

    /** A linked function whose calls are audited with their argument count. */
    public LinkedImport(
            String module,
            String name,
            List<HostImport.ValueType> params,
            List<HostImport.ValueType> results,
            Handler handler) {
        this(module, name, params, results, handler, null);
    }

    /**
     * What the audit event of a call records of its arguments: a small map of plain values
     * (strings, numbers, lists), made before the call. A summary that throws is replaced by the
     * argument count.
     */
    @FunctionalInterface
    public interface Summary {
        java.util.Map<String, Object> of(GuestAccess guest, long[] args);
    }

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
