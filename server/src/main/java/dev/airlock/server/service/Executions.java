package dev.airlock.server.service;

import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Airlock;
import dev.airlock.core.CallResult;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.PortableModule;
import dev.airlock.core.net.Egress;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import dev.airlock.lang.PortableScripts;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.api.FileContent;
import dev.airlock.server.api.PortableRun;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One-shot executions: a fresh sandbox per request, recorded with its tenant. */
final class Executions {
    private final Airlock airlock;
    private final CodeInterpreter interpreter;
    private final Recorder recorder;
    private final Limits defaults;
    private final PackageSets packages;
    private final Egress network;
    private final Clock clock;

    Executions(
            Airlock airlock,
            CodeInterpreter interpreter,
            Recorder recorder,
            Limits defaults,
            PackageSets packages,
            Egress network,
            Clock clock) {
        this.packages = packages;
        this.network = network;
        this.airlock = airlock;
        this.interpreter = interpreter;
        this.recorder = recorder;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** A request checked and ready to run. */
    record Prepared(
            Language language,
            String code,
            byte[] module,
            Policy policy,
            Map<String, byte[]> files) {}

    /**
     * Checks a request against the tenant's ceilings; {@code secretsAllowed} says which of the
     * server's secrets the tenant may name.
     *
     * @throws ApiException 400 naming what is wrong
     */
    Prepared prepare(
            ExecutionRequest r,
            TenantLimits ceiling,
            java.util.function.Predicate<String> secretsAllowed) {
        Language language = Requests.language(r.language(), true);
        byte[] module = null;
        if (language == null) {
            if (r.module() == null || r.code() != null) {
                throw ApiException.badRequest("wasm needs 'module' (base64) and no 'code'");
            }
            try {
                module = Base64.getDecoder().decode(r.module());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("module is not valid base64: " + e.getMessage());
            }
        } else {
            if (r.code() == null || r.module() != null) {
                throw ApiException.badRequest(language.id() + " needs 'code' and no 'module'");
            }
            if (r.args() != null && !r.args().isEmpty()) {
                throw ApiException.badRequest("args are only for wasm");
            }
        }
        Limits limits = Requests.limits(r.limits(), ceiling, defaults, language == null);
        Policy policy =
                Requests.network(
                        packages.apply(
                                Requests.policy(r.env(), r.args(), r.stdin(), limits),
                                r.packages(),
                                language),
                        r.allowNet(),
                        r.secrets(),
                        network,
                        secretsAllowed);
        Map<String, byte[]> files = Requests.files(r.files());
        return new Prepared(language, r.code(), module, policy, files);
    }

    /** Runs a prepared request on the calling (worker) thread and records it. */
    ExecutionResult run(Prepared p, String tenant, OutputListener listener) {
        Output output = new Output(listener);
        RunCapture capture = recorder.capture();
        Instant started = clock.instant();
        Outcome outcome;
        Map<String, byte[]> changed;
        if (p.language() != null) {
            Execution e;
            try {
                e =
                        interpreter.run(
                                p.language(),
                                p.code(),
                                p.policy(),
                                output.stdio(),
                                capture,
                                p.files());
            } catch (IllegalArgumentException x) {
                throw ApiException.badRequest(x.getMessage());
            }
            outcome = e.outcome();
            changed = e.files();
        } else {
            WasmRun w = runWasm(p, output, capture);
            outcome = w.outcome;
            changed = w.files;
        }
        String runId = recorder.record(capture, outcome, started, clock.instant(), tenant, null);
        Map<String, FileContent> files = new TreeMap<>();
        changed.forEach((k, v) -> files.put(k, FileContent.of(v)));
        return ExecutionResult.of(
                runId, null, outcome, output.stdout(), output.stderr(), files, null);
    }

    /**
     * What a browser needs to run a prepared wasm request as this server would: the module to run
     * (metered, with its fuel global exported, when the request has a fuel budget) and the policy
     * it runs under. Nothing runs here and nothing is recorded.
     */
    PortableRun portable(Prepared p) {
        if (p.language() == Language.PYTHON) {
            throw ApiException.badRequest(
                    "python runs on the server only: its interpreter (7.7 MiB and a 7 MiB standard"
                            + " library) is not offered to browsers");
        }
        if (p.language() == Language.JAVASCRIPT) {
            return javascript(p);
        }
        PortableRun.Refusal refused = null;
        PortableModule portable = null;
        String sha = null;
        try {
            GuestModule module = airlock.load(p.module());
            sha = module.sha256();
            // checked without compiling (the browser compiles it); metering is portable()'s
            List<String> problems = airlock.problems(module, p.policy());
            if (!problems.isEmpty()) {
                refused =
                        new PortableRun.Refusal(
                                ModuleInfo.reasonOf(problems.get(0)),
                                "module rejected: " + problems.get(0));
            } else {
                portable = airlock.portable(module, p.policy());
            }
        } catch (ModuleRejectedException e) {
            Outcome o = e.toOutcome();
            refused = new PortableRun.Refusal(o.kind(), o.message());
        }
        return PortableRun.of(sha, portable, p.policy(), p.files(), null, refused);
    }

    /** A JavaScript snippet for the browser: QuickJS's module, the program and its setup. */
    private PortableRun javascript(Prepared p) {
        byte[] quickjs;
        try {
            quickjs = PortableScripts.javascriptModule();
        } catch (ModuleRejectedException e) {
            throw new IllegalStateException(e);
        }
        PortableRun.Program program =
                new PortableRun.Program(
                        Language.JAVASCRIPT.id(),
                        p.code(),
                        p.policy().env().isEmpty()
                                ? null
                                : PortableScripts.environment(p.policy().env()));
        return PortableRun.of(
                PortableScripts.javascriptSha256(),
                new PortableModule(quickjs, null, -1, 0, 0),
                p.policy(),
                p.files(),
                program,
                null);
    }

    private record WasmRun(Outcome outcome, Map<String, byte[]> files) {}

    private WasmRun runWasm(Prepared p, Output output, RunCapture capture) {
        GuestModule module;
        try {
            module = airlock.load(p.module());
        } catch (ModuleRejectedException e) {
            // recorded like any run: the refusal is in the audit trail
            return new WasmRun(airlock.rejected(e, capture), Map.of());
        }
        if (p.files().isEmpty()) {
            return new WasmRun(airlock.run(module, p.policy(), output.stdio(), capture), Map.of());
        }
        InstanceSetup.Builder setup =
                InstanceSetup.builder()
                        .singleRoot(true)
                        .events(capture)
                        .fuelPerCall(p.policy().limits().fuel().isPresent());
        setup.directory(Requests.WORKSPACE);
        p.files().forEach(setup::file);
        try (GuestInstance g = airlock.instantiate(module, p.policy(), setup.build())) {
            CallResult r = g.call("_start", output.stdio());
            return new WasmRun(r.outcome(), changed(g, p.files()));
        } catch (ModuleRejectedException e) {
            return new WasmRun(e.toOutcome(), Map.of());
        }
    }

    private static Map<String, byte[]> changed(GuestInstance g, Map<String, byte[]> seeded) {
        Map<String, byte[]> out = new TreeMap<>();
        try {
            for (String f : g.listFiles(Requests.WORKSPACE)) {
                byte[] now = g.readFile(f);
                if (!Arrays.equals(seeded.get(f), now)) {
                    out.put(f, now);
                }
            }
        } catch (IOException e) {
            // the guest removed the workspace: nothing to report
        }
        return out;
    }
}
