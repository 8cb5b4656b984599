package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.Policy;
import dev.airlock.core.engine.host.Access;
import dev.airlock.core.engine.host.HostImports;
import dev.airlock.core.engine.host.ToolBridge;
import dev.airlock.core.engine.module.Inspector;
import dev.airlock.core.engine.run.RunLocals;
import dev.airlock.core.engine.wasi.ScratchPreview1;
import dev.airlock.core.engine.wasi.WasiBinding;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.net.EgressGate;
import dev.airlock.core.time.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/** The imports of a long-lived instance: WASI, granted host functions, linked functions, tools. */
final class LiveImports {
    private LiveImports() {}

    /** Why the module cannot be instantiated under the policy; a library needs no _start. */
    static List<String> problems(WasmModule module, Policy policy, InstanceSetup setup) {
        List<String> out = new ArrayList<>();
        for (String p : Inspector.problems(module, policy)) {
            if (p.startsWith("no entry point")) {
                continue;
            }
            if (p.startsWith("import ") && linked(p, setup) != null) {
                continue;
            }
            out.add(p);
        }
        var section = module.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            Import imp = section.getImport(i);
            for (LinkedImport l : setup.imports()) {
                if (l.module().equals(imp.module()) && l.name().equals(imp.name())) {
                    if (imp.importType() != ExternalType.FUNCTION) {
                        out.add("import " + l.module() + "." + l.name() + ": not a function");
                        continue;
                    }
                    FunctionType have =
                            module.typeSection().getType(((FunctionImport) imp).typeIndex());
                    if (!have.equals(type(l))) {
                        out.add(
                                "import "
                                        + l.module()
                                        + "."
                                        + l.name()
                                        + ": signature "
                                        + have
                                        + " does not match the linked "
                                        + type(l));
                    }
                }
            }
        }
        return out;
    }

    private static LinkedImport linked(String problem, InstanceSetup setup) {
        for (LinkedImport l : setup.imports()) {
            if (problem.startsWith("import " + l.module() + "." + l.name() + " ")) {
                return l;
            }
        }
        return null;
    }

    static FunctionType type(LinkedImport l) {
        return FunctionType.of(HostImports.convert(l.params()), HostImports.convert(l.results()));
    }

    /** A mediator for one call (one run) of the instance. */
    static Mediator mediator(
            String sha256, Policy policy, InstanceSetup setup, Clock clock, Ticker ticker) {
        Rules rules = new Rules(policy);
        Function<String, Function<String, Verdict>> byModule =
                m -> {
                    if (WasiBinding.MODULE.equals(m)) {
                        return rules::wasi;
                    }
                    if (ToolBridge.MODULE.equals(m)) {
                        return ToolBridge.rules(policy);
                    }
                    if (EgressGate.MODULE.equals(m)) {
                        return EgressGate.rules(policy);
                    }
                    for (LinkedImport l : setup.imports()) {
                        if (l.module().equals(m)) {
                            return name -> Verdict.ALLOW;
                        }
                    }
                    return HostImports.rules(policy, m);
                };
        return new Mediator(
                UUID.randomUUID().toString(),
                setup.sessionId(),
                sha256,
                setup.events(),
                clock,
                ticker,
                byModule);
    }

    /**
     * Every import, each call passing the current call's mediator: WASI and the policy's host
     * functions as in a run ({@link HostImports}), then the linked functions.
     */
    static HostFunction[] functions(
            WasiBinding wasi,
            Policy policy,
            InstanceSetup setup,
            Supplier<Mediator> mediator,
            Supplier<RunLocals> locals,
            ToolBridge tools) {
        List<HostFunction> all =
                new ArrayList<>(
                        Arrays.asList(HostImports.functions(wasi, policy, mediator, locals)));
        ScratchPreview1 preview1 = new ScratchPreview1(all.toArray(new HostFunction[0]));
        for (LinkedImport l : setup.imports()) {
            boolean hasResult = !l.results().isEmpty();
            all.add(
                    new HostFunction(
                            l.module(),
                            l.name(),
                            type(l),
                            (inst, args) -> {
                                Access access = new Access(inst, tools, preview1);
                                long[] mine = args.clone();
                                long r =
                                        mediator.get()
                                                .call(
                                                        l.module(),
                                                        l.name(),
                                                        summary(l, access, mine),
                                                        () ->
                                                                first(
                                                                        l.handler()
                                                                                .call(
                                                                                        access,
                                                                                        mine)));
                                return hasResult ? new long[] {r} : null;
                            }));
        }
        return all.toArray(new HostFunction[0]);
    }

    private static Map<String, Object> summary(LinkedImport l, Access access, long[] args) {
        if (l.summary() != null) {
            try {
                Map<String, Object> m = l.summary().of(access, args.clone());
                if (m != null) {
                    return m;
                }
            } catch (RuntimeException e) {
                // a summary that fails records what every call records
            }
        }
        return Map.of("args", args.length);
    }

    private static long first(long[] out) {
        return out == null || out.length == 0 ? 0 : out[0];
    }
}
