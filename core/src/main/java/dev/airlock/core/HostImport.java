package dev.airlock.core;

import java.util.List;
import java.util.Objects;

/**
 * A host function granted to the guest by the {@link Policy}, importable as {@code module.name}.
 * Its calls pass the mediation point like every WASI call: they are counted, timed and emitted as
 * events. A plain {@link Handler} sees only numeric arguments; one made by {@link #withMemory} from
 * a {@link GuestHandler} also reads and writes guest memory (bounds-checked), adds to the call's
 * audit summary, keeps per-run state and can refuse a call as a policy denial.
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

        /**
         * The call with its context; by default {@link #call(long[])}. Overridden by {@link
         * #withMemory}.
         */
        default long[] call(long[] args, HostCall call) {
            return call(args);
        }

        /**
         * Decides, before the call runs, whether the policy refuses it; by default never.
         * Overridden by {@link #withMemory}.
         */
        default Refusal check(long[] args, HostCall call) {
            return null;
        }

        /**
         * What {@code airlock inspect} says of this function under its policy, such as {@code
         * denied (nn.none)}; {@code null} (the default) for {@code allowed}. A verdict starting
         * with {@code denied} says that every call is refused: the function is then left out of the
         * grants the audit trail records.
         */
        default String verdict() {
            return null;
        }
    }

    /**
     * The host side of a {@link HostImport} that works on guest memory. Runs on the guest's thread;
     * its time counts against the run's timeout.
     */
    @FunctionalInterface
    public interface GuestHandler {
        /**
         * @param args the arguments as raw 64-bit values (floats as their bits)
         * @param call guest memory, the audit summary and per-run state
         * @return the results, or {@code null} / empty when there are none
         */
        long[] call(long[] args, HostCall call);

        /**
         * Called first: a non-null {@link Refusal} denies the call by policy. The call then does
         * not run, the guest gets {@link Refusal#result()}, and the denial is recorded in the
         * outcome and the audit trail under {@link Refusal#rule()}. Default: never refuses.
         */
        default Refusal check(long[] args, HostCall call) {
            return null;
        }

        /** See {@link Handler#verdict()}; default {@code null} ({@code allowed}). */
        default String verdict() {
            return null;
        }
    }

    /**
     * A policy denial of one call to a host function.
     *
     * @param rule the rule, such as {@code nn.none}
     * @param result the value the guest receives (the function's error code)
     * @param detail a short human-readable explanation
     */
    public record Refusal(String rule, int result, String detail) {
        public Refusal {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(detail, "detail");
            if (result < 0) {
                throw new IllegalArgumentException("result must be >= 0: " + result);
            }
        }
    }

    public HostImport {
        Objects.requireNonNull(handler, "handler");
        params = List.copyOf(params);
        results = List.copyOf(results);
        checkImport(module, name, results);
    }

    /** The rules every host function follows, granted ({@link HostImport}) or linked. */
    static void checkImport(String module, String name, List<ValueType> results) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        if (module.equals("wasi_snapshot_preview1")) {
            throw new IllegalArgumentException("WASI functions cannot be replaced");
        }
        if (results.size() > 1) {
            throw new IllegalArgumentException("at most one result is supported");
        }
    }

    /**
     * A host function whose handler works on guest memory; see {@link GuestHandler}. Its calls are
     * mediated like any other; the audit event's arguments are the summary the handler gives
     * through {@link HostCall#summary}.
     */
    public static HostImport withMemory(
            String module,
            String name,
            List<ValueType> params,
            List<ValueType> results,
            GuestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new HostImport(
                module,
                name,
                params,
                results,
                new Handler() {
                    @Override
                    public long[] call(long[] args) {
                        throw new IllegalStateException(
                                module + "." + name + " needs guest memory");
                    }

                    @Override
                    public long[] call(long[] args, HostCall call) {
                        return handler.call(args, call);
                    }

                    @Override
                    public Refusal check(long[] args, HostCall call) {
                        return handler.check(args, call);
                    }

                    @Override
                    public String verdict() {
                        return handler.verdict();
                    }
                });
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
