package dev.airlock.cli;

import dev.airlock.audit.AuditKeys;
import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.skill.SkillCommand;
import dev.airlock.cli.skill.SkillKeysCommand;
import dev.airlock.core.Airlock;
import dev.airlock.core.Durations;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Size;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import dev.airlock.skills.SkillRunner;
import dev.airlock.skills.box.BoxBuilder;
import dev.airlock.skills.box.BoxException;
import dev.airlock.skills.box.BoxImage;
import dev.airlock.skills.box.BoxRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock box build|run}: Dockerfiles of small Python and Node apps as signed boxes. */
@Command(
        name = "box",
        mixinStandardHelpOptions = true,
        description = {
            "Builds a signed box from a Dockerfile of a small Python or Node app, and runs it.",
            "A box is a skill archive (install it with 'airlock skill install' to serve it over",
            "HTTP and MCP as tool 'run')."
        },
        footer = {
            "",
            "Examples:",
            "  airlock box build -o tool.box --key acme",
            "  airlock box run tool.box --top 3 some words",
            "  airlock skill install tool.box"
        },
        subcommands = {BoxCommand.Build.class, BoxCommand.Run.class})
final class BoxCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return RunCommand.USAGE_ERROR;
    }

    /** {@code airlock box build [-f Dockerfile] [DIR] -o NAME.box}. */
    @Command(
            name = "build",
            description = {
                "Builds a box from a Dockerfile, with no network.",
                "FROM python:3.x[-slim] runs on Airlock's Python 3.13 (another version builds with",
                "a warning), FROM node:NN on its JavaScript interpreter (QuickJS; CommonJS files",
                "are bundled; Node's built-in modules are not there), FROM scratch a WASI module.",
                "Taken: WORKDIR, COPY and ADD of files in the build context (local .tar/.tar.gz",
                "unpacked), ENV, ARG, LABEL, USER (recorded), EXPOSE (noted), ENTRYPOINT and CMD",
                "(exec form, or a plain shell command), and RUN pip install / npm install of pure",
                "packages found in --packages DIR. Any other RUN is refused with its line.",
                "",
                "Exit status: 0 built; 1 refused (one line names the Dockerfile's line); 2 usage;",
                "70 internal error."
            },
            footer = {
                "",
                "Examples:",
                "  airlock box build -o tool.box --key acme",
                "  airlock box build -f app/Dockerfile app --packages wheels -o app.box --key acme",
                "  airlock box run tool.box --help"
            })
    static final class Build implements Callable<Integer> {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "DIR",
                description = "The build context (default: .).")
        Path context = Path.of(".");

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Option(
                names = {"-f", "--file"},
                paramLabel = "DOCKERFILE",
                description = "Default: DIR/Dockerfile.")
        Path dockerfile;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "NAME.box",
                required = true,
                description = "The box to write.")
        Path output;

        @Option(
                names = "--packages",
                paramLabel = "DIR",
                description =
                        "Pure wheels, package folders or npm tarballs for RUN pip/npm install.")
        Path packages;

        @Option(
                names = "--build-arg",
                paramLabel = "NAME=VALUE",
                description = "A value for ARG (repeatable).")
        List<String> buildArgs = new ArrayList<>();

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "The box's name (default: from NAME.box).")
        String name;

        @Option(names = "--version", paramLabel = "VERSION", description = "Default: 1.0.0.")
        String version = "1.0.0";

        @Option(
                names = "--key",
                paramLabel = "NAME|FILE.pk8",
                description = "Sign with this publisher key (default: unsigned).")
        String key;

        @Option(
                names = "--publisher",
                paramLabel = "NAME",
                description = "Default: the key's name.")
        String publisher;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path df = dockerfile != null ? dockerfile : context.resolve("Dockerfile");
            String shown = dockerfile != null ? dockerfile.toString() : "Dockerfile";
            Map<String, String> bargs = new LinkedHashMap<>();
            for (String a : buildArgs) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--build-arg expects NAME=VALUE: " + a);
                }
                bargs.put(a.substring(0, eq), a.substring(eq + 1));
            }
            if (!Files.isDirectory(context)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "no such folder: " + context);
            }
            if (!Files.isRegularFile(df)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + df);
            }
            if (packages != null && !Files.isDirectory(packages)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--packages: no such folder: " + packages);
            }
            String boxName =
                    name != null
                            ? name
                            : CompileCommand.defaultName(
                                    Path.of(
                                            output.getFileName()
                                                    .toString()
                                                    .replaceFirst("\\.box$", ".onnx")));
            try {
                if (Files.size(df) > 1 << 20) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), df + ": larger than 1MiB");
                }
                String text = Files.readString(df, StandardCharsets.UTF_8);
                BoxBuilder.Built built =
                        BoxBuilder.build(text, new BoxBuilder.Options(context, packages, bargs));
                AuditKeys k =
                        key == null ? null : SkillKeysCommand.load(Registry.open(data.dir()), key);
                String pub = SkillKeysCommand.publisher(publisher, key);
                List<String> warnings = new ArrayList<>(built.warnings());
                Map<String, byte[]> files = BoxImage.files(built, boxName, version, pub, warnings);
                SkillFiles sf = SkillFiles.of(files);
                if (k != null) {
                    sf = Signatures.sign(sf, k);
                }
                sf.manifest();
                SkillCommand.writeArchive(sf, output);
                warnings.forEach(w -> err.println("airlock: warning: " + w));
                var s = built.spec();
                out.println("runtime: " + s.runtime() + " (FROM " + s.from() + ")");
                out.println(
                        "command: "
                                + String.join(" ", s.argv(List.of()))
                                + " (workdir "
                                + s.workdir()
                                + ")");
                out.println(
                        "files: "
                                + built.rootfs().size()
                                + (built.site().isEmpty()
                                        ? ""
                                        : ", packages: " + built.site().size() + " files"));
                if (!s.warm().isEmpty()) {
                    out.println("warm imports: " + String.join(", ", s.warm()));
                }
                out.println("instructions: " + built.taken());
                out.println(
                        "wrote "
                                + output
                                + (k == null
                                        ? " (unsigned: sign it with airlock skill sign)"
                                        : " (signed by " + pub + ")"));
                out.flush();
                err.flush();
                return 0;
            } catch (BoxException e) {
                err.println("airlock: " + e.line(shown));
                err.flush();
                return CompileCommand.REFUSED;
            } catch (SkillException e) {
                err.println("airlock: " + e.line());
                err.flush();
                return CompileCommand.REFUSED;
            } catch (IOException e) {
                err.println("airlock: i/o error: " + e.getMessage());
                err.flush();
                return RunCommand.INTERNAL;
            }
        }
    }

    /** {@code airlock box run NAME.box [ARGS]}. */
    @Command(
            name = "run",
            description = {
                "Runs a box's program, as docker run runs an image's command: ARGS replace CMD.",
                "The box is verified first (its signature by a trusted publisher, as for skills).",
                "It gets its own files, ENV and WORKDIR, the clock and randomness, stdin only with",
                "--stdin, and nothing else: no network, no host files.",
                "",
                "Exit status: the program's; 125 when the sandbox stopped it; 126 when the box is",
                "refused (unsigned, untrusted, tampered); 2 for usage errors; 70 internal."
            })
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME.box", description = "The box.")
        Path box;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "Replace CMD.")
        List<String> args = new ArrayList<>();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Option(
                names = "--stdin",
                paramLabel = "FILE|-",
                description = "The program's stdin (- for this process's; default: empty).")
        String stdin;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Default: 10s.")
        String timeout;

        @Option(names = "--memory", paramLabel = "SIZE", description = "Default: 256MiB.")
        String memory;

        @Option(
                names = "--audit",
                paramLabel = "FILE",
                description = "Write the run's audit trail to FILE as JSON Lines.")
        Path audit;

        @Option(
                names = "--no-store",
                description = "Do not record the run in the data folder's store.")
        boolean noStore;

        @Mixin DataOptions data = new DataOptions();
        @Mixin CacheOptions cache = new CacheOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        private final Stdio guest;

        Run(Stdio guest) {
            this.guest = guest;
        }

        Run() {
            this(Stdio.inherit());
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Limits.Builder l = Limits.builder();
            byte[] in;
            try {
                if (timeout != null) {
                    l.timeout(Durations.parse(timeout));
                }
                if (memory != null) {
                    l.memoryBytes(Size.parse(memory));
                }
                in =
                        stdin == null
                                ? new byte[0]
                                : stdin.equals("-")
                                        ? System.in.readNBytes(64 << 20)
                                        : Files.readAllBytes(Path.of(stdin));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--stdin: cannot read " + e.getMessage());
            }
            if (!Files.isRegularFile(box)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "no such file: " + box);
            }
            // the interpreters' modules come from the module cache, as for py and js (compiling
            // Python's takes tens of seconds)
            Airlock airlock = cache.engine().memoryCacheEntries(2).build();
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        BoxRunner.Box b;
                        try {
                            b = BoxRunner.open(box, Registry.open(data.dir()).trust());
                        } catch (BoxException e) {
                            err.println("airlock: " + e.getMessage());
                            err.flush();
                            return RunCommand.REJECTED;
                        }
                        CodeInterpreter.Builder cb = cache.interpreter(airlock);
                        try (Recording recording = Recording.open(data.dir(), !noStore, audit);
                                CodeInterpreter ci = cb.build()) {
                            Outcome o =
                                    new BoxRunner(airlock, ci)
                                            .run(b, args, in, l.build(), guest, recording.sink());
                            recording.finish(o);
                            int code = SkillRunner.exitStatus(o);
                            if (code >= 125 || code == RunCommand.INTERNAL) {
                                err.println("airlock: " + o.message());
                            }
                            err.flush();
                            return code;
                        } catch (BoxException e) {
                            err.println("airlock: " + e.getMessage());
                            err.flush();
                            return RunCommand.USAGE_ERROR;
                        }
                    });
        }
    }
}
