package dev.airlock.cli;

import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.options.PolicyOptions;
import dev.airlock.cli.options.RunOptions;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import dev.airlock.lang.Program;
import dev.airlock.lang.PythonPackages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code airlock py} and {@code airlock js}: run a snippet or a file in a sandboxed interpreter.
 */
abstract class CodeCommand implements Callable<Integer> {
    @Mixin PolicyOptions policy = new PolicyOptions();
    @Mixin RunOptions limits = new RunOptions();

    @Option(
            names = "-c",
            paramLabel = "CODE",
            description = "The program, as a string (instead of FILE).")
    String code;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Write the outcome as JSON to FILE ('-' for stderr).")
    Path report;

    @Option(
            names = "--audit",
            paramLabel = "FILE",
            description = "Write the audit trail to FILE as JSON Lines.")
    Path audit;

    @Mixin DataOptions data = new DataOptions();

    @Mixin CacheOptions cache = new CacheOptions();

    @Option(names = "--no-store", description = "Do not record the run in the data folder's store.")
    boolean noStore;

    @Option(names = "--debug", description = "Print Java stack traces of internal errors.")
    boolean debug;

    @Parameters(
            arity = "0..*",
            paramLabel = "ARG",
            description =
                    "The program file and its arguments (FILE ARGS...), or with -c the program's"
                            + " arguments.")
    List<String> positional = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Stdio guest;

    CodeCommand(Stdio guest) {
        this.guest = guest;
    }

    abstract Language language();

    /**
     * Why {@code py} or {@code js} has no such option, for options that {@code run} has, or null.
     */
    static String unavailable(String command, String arg) {
        String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (option.equals("--fuel") || option.equals("--deterministic")) {
            return command
                    + " has no "
                    + option
                    + ": the interpreter starts from an unmetered image, so its fuel cannot be"
                    + " counted (use --timeout)";
        }
        if (option.startsWith("--nn-") || option.equals("--max-table")) {
            return command + " has no " + option + ": it is for WebAssembly modules (airlock run)";
        }
        if (option.equals("--packages") && command.equals("js")) {
            return "js has no --packages: it is for py only";
        }
        return null;
    }

    /** The {@code --packages} folders (py only). */
    List<Path> packages() {
        return List.of();
    }

    /**
     * Starts loading the interpreter and its image on a daemon thread ({@link
     * CodeInterpreter#prepare}), so that it overlaps opening the store; the run waits for it. When
     * the store cannot be opened the command ends at once and leaves the thread to finish (or die
     * with the process: both caches write their entries whole or not at all). {@code
     * -Dairlock.warmup=false} turns it off.
     */
    private void prepare(CodeInterpreter ci) {
        Language language = language();
        Background.start(
                "airlock-prepare",
                () -> {
                    try {
                        ci.prepare(language);
                    } catch (Exception | LinkageError e) {
                        // the run itself reports what went wrong
                    }
                });
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path file =
                code == null && !positional.isEmpty()
                        ? Invocation.current().path(positional.get(0))
                        : null;
        List<String> args = file == null ? positional : positional.subList(1, positional.size());
        if (code == null && file == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "give either FILE or -c CODE");
        }
        String program = code;
        if (program == null) {
            try {
                program = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("airlock: cannot read " + file + ": " + e.getMessage());
                err.flush();
                return RunCommand.USAGE_ERROR;
            }
        }
        Policy p;
        try {
            p = withPackages(policy.toPolicy(language().id(), List.of(), limits));
            if (report != null) {
                Reports.checkWritable(report);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Outcome outcome;
        cache.useForNativeLibraries();
        Engines engines = Invocation.current().engines();
        try {
            CodeInterpreter ci = engines.interpreter(cache);
            try {
                prepare(ci);
                try (Recording recording = Recording.open(data.dir(), !noStore, audit)) {
                    Program prog =
                            file == null
                                    ? new Program(program, null, args)
                                    : Program.file(positional.get(0), program, args);
                    Execution e = ci.run(language(), prog, p, guest, recording.sink(), Map.of());
                    outcome = e.outcome();
                    recording.finish(outcome);
                }
            } finally {
                engines.done(ci);
            }
        } catch (IOException e) {
            err.println("airlock: cannot record the run: " + e.getMessage());
            err.flush();
            return RunCommand.INTERNAL;
        } catch (RuntimeException | Error e) {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println(RunCommand.internalError(e));
            err.flush();
            return RunCommand.INTERNAL;
        }
        int status = RunCommand.exitStatus(outcome);
        if (status == RunCommand.STOPPED
                || status == RunCommand.REJECTED
                || status == RunCommand.INTERNAL) {
            err.println("airlock: " + outcome.message());
        }
        if (report != null) {
            try {
                Reports.write(outcome, report, err);
            } catch (IOException e) {
                // the run ended, but what was asked for is missing: never exit 0 then
                err.println("airlock: cannot write report " + report + ": " + Reports.reason(e));
                err.flush();
                return status == 0 ? RunCommand.INTERNAL : status;
            }
        }
        err.flush();
        return status;
    }

    /** The policy with each {@code --packages} folder mounted read-only at /packages/N. */
    private Policy withPackages(Policy p) {
        List<Path> packages = packages();
        if (packages.isEmpty()) {
            return p;
        }
        Policy.Builder b = p.toBuilder();
        for (int i = 0; i < packages.size(); i++) {
            Path dir = packages.get(i);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--packages: not a directory: " + dir);
            }
            b.mount(PythonPackages.mount(dir, String.valueOf(i + 1)));
        }
        return b.build();
    }

    /** {@code airlock py}. */
    @CommandLine.Command(
            name = "py",
            mixinStandardHelpOptions = true,
            description = "Runs Python 3.13 code (FILE or -c CODE) in the sandbox.",
            footer = {
                "",
                "Examples:",
                "  airlock py -c 'import sys; print(sys.version)'",
                "  airlock py --mount ./data:/data script.py /data/input.csv",
                "  airlock py --packages ./site-packages --timeout 30s main.py",
                "",
                "Output goes to stdout and stderr as with python3; an uncaught exception prints its",
                "traceback and exits 1; sys.exit(N) exits N. The working folder is /workspace",
                "(in memory, empty unless mounted); mounts appear at their guest paths. A host",
                "tool that an embedding application grants is called as airlock.call(name, args).",
                "",
                "Exit 125 with an 'airlock:' line when the sandbox stopped the program (limit or",
                "trap), 126 when the interpreter could not start, 2 for usage errors. There is no",
                "--fuel: the interpreter starts from an unmetered image, so its fuel cannot be",
                "counted (use --timeout)."
            })
    static final class Py extends CodeCommand {
        @Option(
                names = "--packages",
                paramLabel = "DIR",
                description =
                        "A folder of pure-Python packages (an unpacked wheel or a site-packages"
                                + " folder), mounted read-only at /packages/N and put on sys.path"
                                + " (repeatable).")
        List<Path> packages = new ArrayList<>();

        Py(Stdio guest) {
            super(guest);
        }

        @Override
        List<Path> packages() {
            return packages;
        }

        @Override
        Language language() {
            return Language.PYTHON;
        }
    }

    /** {@code airlock js}. */
    @CommandLine.Command(
            name = "js",
            mixinStandardHelpOptions = true,
            description = "Runs JavaScript (QuickJS; FILE or -c CODE) in the sandbox.",
            footer = {
                "",
                "Examples:",
                "  airlock js -c 'console.log([1, 2, 3].map(x => x * 2))'",
                "  airlock js script.js one two",
                "  airlock js --stdin input.json --memory 64MB filter.js",
                "",
                "console.log and console.error print as node does for common values; an uncaught",
                "exception prints 'Uncaught ...' on stderr and exits 1. QuickJS here has no file",
                "or process API; fetch() reaches what --allow-net allows.",
                "",
                "Exit 125 with an 'airlock:' line when the sandbox stopped the program, 126 when",
                "the interpreter could not start, 2 for usage errors. There is no --fuel (use",
                "--timeout)."
            })
    static final class Js extends CodeCommand {
        Js(Stdio guest) {
            super(guest);
        }

        @Override
        Language language() {
            return Language.JAVASCRIPT;
        }
    }
}
