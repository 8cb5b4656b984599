package dev.airlock.core.engine.host;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.HostCall;
import dev.airlock.core.HostImport;
import dev.airlock.core.Policy;
import dev.airlock.core.engine.memory.ChicoryGuestMemory;
import dev.airlock.core.engine.run.RunLocals;
import dev.airlock.core.engine.wasi.WasiBinding;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/** Binds the policy's granted {@link HostImport}s, each call passing the mediator. */
public final class HostImports {
    private HostImports() {}

    public static FunctionType type(HostImport h) {
        return FunctionType.of(convert(h.params()), convert(h.results()));
    }

    public static List<ValType> convert(List<HostImport.ValueType> types) {
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
    public static Function<String, Verdict> rules(Policy policy, String module) {
        for (HostImport h : policy.hostImports()) {
            if (h.module().equals(module)) {
                return name -> Verdict.ALLOW;
            }
        }
        return null;
    }

    /**
     * WASI plus the granted host functions, all mediated; {@code locals} holds their per-run
     * values.
     */
    public static HostFunction[] functions(
            WasiBinding wasi, Policy policy, Mediator mediator, RunLocals locals) {
        return functions(wasi, policy, () -> mediator, () -> locals);
    }

    /**
     * As {@link #functions(WasiBinding, Policy, Mediator, RunLocals)} for an instance whose calls
     * each have their own mediator and run-local values (a long-lived instance).
     */
    public static HostFunction[] functions(
            WasiBinding wasi,
            Policy policy,
            Supplier<Mediator> mediator,
            Supplier<RunLocals> locals) {
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
                            (inst, args) ->
                                    call(h, hasResult, inst, args, mediator.get(), locals.get()));
        }
        return all;
    }

    private static long[] call(
            HostImport h,
            boolean hasResult,
            Instance inst,
            long[] args,
            Mediator mediator,
            RunLocals locals) {
        Call call = new Call(inst, locals);
        long[] mine = args.clone();
        HostImport.Refusal refusal = h.handler().check(mine, call);
        Verdict extra =
                refusal == null
                        ? null
                        : Verdict.deny(refusal.rule(), refusal.result(), refusal.detail());
        if (refusal != null) {
            call.defaultSummary(args.length);
        }
        long r =
                mediator.call(
                        h.module(),
                        h.name(),
                        call.view,
                        extra,
                        () -> {
                            try {
                                long[] out = h.handler().call(mine, call);
                                return out == null || out.length == 0 ? 0 : out[0];
                            } finally {
                                call.defaultSummary(args.length);
                            }
                        });
        return hasResult ? new long[] {r} : null;
    }

    /** One call's context: its memory, its audit summary and the run's values. */
    private static final class Call implements HostCall {
        private final Instance inst;
        private final RunLocals locals;
        private final Map<String, Object> summary = new LinkedHashMap<>();
        final Map<String, Object> view = Collections.unmodifiableMap(summary);
        private GuestMemory memory;

        Call(Instance inst, RunLocals locals) {
            this.inst = inst;
            this.locals = locals;
        }

        @Override
        public GuestMemory memory() {
            if (memory == null) {
                memory = ChicoryGuestMemory.of(inst);
            }
            return memory;
        }

        @Override
        public void summary(String key, Object value) {
            summary.put(Objects.requireNonNull(key, "key"), value);
        }

        @Override
        public <T> T runLocal(Object key, Supplier<T> create) {
            return locals.get(key, create);
        }

        /** A call that summarised nothing shows its argument count, as before. */
        void defaultSummary(int args) {
            if (summary.isEmpty()) {
                summary.put("args", args);
            }
        }
    }
}
