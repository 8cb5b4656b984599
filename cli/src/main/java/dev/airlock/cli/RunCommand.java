package dev.airlock.cli;

import dev.airlock.cli.component.ComponentInspect;
import dev.airlock.cli.component.ComponentRun;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.options.EngineOptions;
import dev.airlock.cli.options.PolicyOptions;
import dev.airlock.cli.options.RunOptions;
import dev.airlock.cli.options.WasmOptions;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock run}: runs a WASI command module. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs MODULE's _start with only what the options grant.",
            "",
            "MODULE is a .wasm file or a .wat file (the text format, assembled first)."
        },
        footer = {
            "",
            "Examples:",
            "  airlock run hello.wasm one two",
            "  airlock run --mount ./in:/in --mount ./out:/out:rw --env LANG=C app.wasm",
            "  airlock run --memory 64MB --timeout 2s --report - module.wat",
            "  airlock run --fuel 1000000 --deterministic --audit trail.jsonl app.wasm",
            "",
            "Exit status: the guest's exit code when it exits by itself; 125 when the sandbox",
            "stopped it (limit or trap); 126 when the module was rejected; 2 for usage errors; 70",
            "for an internal error. On 125, 126 and 70 one line starting 'airlock:' names the outcome.",
            "",
            "Fuel: with --fuel N the module runs metered and a spent budget ends the run with 125",
            "and 'airlock: limit exceeded: fuel (N)'; the report's usage.fuel is the fuel used.",
            "Modules using exception handling, typed function references, GC, threads or 64-bit",
            "memories cannot be metered: they are rejected (126, reason 'unmeterable')."
        })
public final class RunCommand implements Callable<Integer> {
    /** Exit status when the sandbox stopped the guest. */
    public static final int STOPPED = 125;

    /** Exit status when the module was rejected. */
    public static final int REJECTED = 126;

    /**
     * The {@code airlock:} line of an internal error: the message only, never a Java class name
     * ({@code --debug} prints the stack trace).
     */
    public static String internalError(Throwable e) {
        String m = e.getMessage();
        return "airlock: internal error: "
                + (m == null || m.isBlank() ? "unexpected failure (--debug shows where)" : m);
    }

    /** Exit status for an internal error. */
    public static final int INTERNAL = 70;

    /** Exit status for a usage error. */
    public static final int USAGE_ERROR = 2;

    @Mixin PolicyOptions policy = new PolicyOptions();
    @Mixin RunOptions limits = new RunOptions();
    @Mixin WasmOptions wasm = new WasmOptions();
    @Mixin EngineOptions engine = new EngineOptions();

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Write the outcome as JSON to FILE ('-' for stderr).")
    Path report;

    @Option(
            names = "--audit",
            paramLabel = "FILE",
            description =
                    "Write the audit trail (every host call and lifecycle step, hash-chained and"
                            + " signed) to FILE as JSON Lines; check it with 'airlock audit verify'.")
    Path audit;

    @Mixin DataOptions data = new DataOptions();

    @Option(
            names = "--no-store",
            description =
                    "Do not record the run and its audit events in the data folder's store"
                            + " (recorded by default).")
    boolean noStore;

    @Option(names = "--debug", description = "Print Java stack traces of internal errors.")
    boolean debug;

    @Parameters(
            index = "0",
            paramLabel = "MODULE",
            description = "The .wasm or .wat file, or a component that exports wasi:cli/run.")
    Path module;

    @Parameters(
            index = "1..*",
            paramLabel = "ARGS",
            description = "Arguments passed to the guest after its program name.")
    List<String> args = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Stdio guest;

    RunCommand(Stdio guest) {
        this.guest = guest;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Policy p;
        try {
            String name =
                    module.getFileName() == null ? "main.wasm" : module.getFileName().toString();
            p = policy.toPolicy(name, args, limits, wasm);
            if (report != null) {
                Reports.checkWritable(report);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Outcome outcome;
        engine.cache.useForNativeLibraries();
        try (Recording recording = Recording.open(data.dir(), !noStore, audit)) {
            Airlock airlock = Invocation.current().engines().engine(engine);
            try {
                if (ComponentInspect.isComponent(module)) {
                    outcome = ComponentRun.run(airlock, module, p, guest, recording.sink());
                    recording.finish(outcome);
                    return finish(outcome, err);
                }
                GuestModule m = airlock.load(module);
                outcome = airlock.run(m, p, guest, recording.sink());
            } catch (ModuleRejectedException e) {
                // refused at load: the trail records the refusal as a run that never started
                outcome = airlock.rejected(e, recording.sink());
            }
            recording.finish(outcome);
        } catch (IOException e) {
            err.println("airlock: cannot record the run: " + e.getMessage());
            err.flush();
            return INTERNAL;
        } catch (RuntimeException | Error e) {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println(internalError(e));
            err.flush();
            return INTERNAL;
        }
        return finish(outcome, err);
    }

    private int finish(Outcome outcome, PrintWriter err) {
        int code = exitStatus(outcome);
        if (code == STOPPED || code == REJECTED || code == INTERNAL) {
            err.println("airlock: " + outcome.message());
        }
        if (report != null) {
            try {
                Reports.write(outcome, report, err);
            } catch (IOException e) {
                // the run ended, but what was asked for is missing: never exit 0 then
                err.println("airlock: cannot write report " + report + ": " + Reports.reason(e));
                err.flush();
                return code == 0 ? INTERNAL : code;
            }
        }
        err.flush();
        return code;
    }

    /** The CLI exit status for an outcome. */
    public static int exitStatus(Outcome o) {
        switch (o.status()) {
            case OK:
                return 0;
            case EXIT:
                return o.exitCode();
            case TRAP:
            case LIMIT:
                return STOPPED;
            case REJECTED:
                return REJECTED;
            default:
                return INTERNAL;
        }
    }
}
