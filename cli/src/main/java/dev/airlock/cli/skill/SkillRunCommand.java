package dev.airlock.cli.skill;

import dev.airlock.cli.Recording;
import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.options.NetOptions;
import dev.airlock.core.Airlock;
import dev.airlock.core.Durations;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Size;
import dev.airlock.core.Stdio;
import dev.airlock.core.net.Egress;
import dev.airlock.skills.Allowance;
import dev.airlock.skills.Json;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillRunner;
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

/** {@code airlock skill run NAME[@VERSION] [TOOL] --input JSON}. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a tool of an installed skill, verified again first.",
            "The tool gets its JSON input on stdin and its name as argv[1] and in AIRLOCK_TOOL,",
            "and must print one JSON value on stdout, which is checked against the tool's output",
            "schema and printed.",
            "",
            "The skill gets what its manifest declares AND these options allow, nothing else:",
            "a declared mount only if --allow-mount offers a host folder for its guest path",
            "(read-write only if both say rw), a declared variable only if --allow-env offers it,",
            "clock and randomness if declared (unless --deny-clock, --deny-random), HTTP requests",
            "that both its declared net rules and --allow-net allow (secrets bound here with",
            "--secret and --inject, never by the manifest). Each limit is the smaller of the",
            "manifest's and the option's (defaults as for run). Its own files are read-only at",
            "/skill.",
            "",
            "Exit status: 0 with the result on stdout; the skill's own status when it fails; 1",
            "when its output is not JSON or does not fit the schema, or the skill or tool is not",
            "found; 2 for usage errors and input that does not fit the schema; 125 when the",
            "sandbox stopped it; 126 when it is refused; 70 for an internal error."
        })
public final class SkillRunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "The skill.")
    String ref;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "TOOL",
            description = "The tool (optional when the skill has one).")
    String tool;

    @Option(
            names = "--input",
            paramLabel = "JSON|@FILE|-",
            description = "The tool's input: JSON, @FILE, or - for stdin. Default: {}.")
    String input = "{}";

    @Option(
            names = "--allow-mount",
            paramLabel = "HOST:GUEST[:ro|:rw]",
            description = "Offer a host folder for a guest path the skill may have declared.")
    List<String> mounts = new ArrayList<>();

    @Option(
            names = "--allow-env",
            paramLabel = "NAME[=VALUE]",
            description = "Offer a variable (its value here when not given) the skill may declare.")
    List<String> env = new ArrayList<>();

    @Option(names = "--deny-clock", description = "No clock, even if declared.")
    boolean denyClock;

    @Option(names = "--deny-random", description = "No randomness, even if declared.")
    boolean denyRandom;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Ceiling (default 10s).")
    String timeout;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Ceiling (default 256MiB).")
    String memory;

    @Option(names = "--max-output", paramLabel = "SIZE", description = "Ceiling (default 16MiB).")
    String maxOutput;

    @Option(
            names = "--fuel",
            paramLabel = "N",
            description =
                    "Fuel budget: a metered wasm skill's ceiling, shared with the skills it"
                            + " calls; for other skills, the budget their callees share.")
    Long fuel;

    @Option(
            names = "--audit",
            paramLabel = "FILE",
            description = "Write the run's audit trail to FILE as JSON Lines.")
    Path audit;

    @Option(names = "--no-store", description = "Do not record the run in the data folder's store.")
    boolean noStore;

    @Mixin NetOptions net = new NetOptions();

    @Mixin DataOptions data = new DataOptions();
    @Mixin CacheOptions cache = new CacheOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Stdio guest;

    /** A {@code skill run} whose guest writes to {@code guest}. */
    public SkillRunCommand(Stdio guest) {
        this.guest = guest;
    }

    SkillRunCommand() {
        this(Stdio.inherit());
    }

    Allowance allowance() {
        List<Mount> ms = new ArrayList<>();
        for (String m : mounts) {
            ms.add(Mount.parse(m));
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? System.getenv(name) : e.substring(eq + 1);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--allow-env: empty name");
            }
            if (value != null) {
                vars.put(name, value);
            }
        }
        Egress offered = net.egress();
        Limits.Builder l = Limits.builder();
        if (timeout != null) {
            l.timeout(Durations.parse(timeout));
        }
        if (memory != null) {
            l.memoryBytes(Size.parse(memory));
        }
        if (maxOutput != null) {
            l.maxOutputBytes(Size.parse(maxOutput));
        }
        if (fuel != null) {
            l.fuel(fuel);
        }
        return Allowance.defaults()
                .withMounts(ms)
                .withEnv(vars)
                .withClock(!denyClock)
                .withRandom(!denyRandom)
                .withLimits(l.build())
                .withNet(offered == null ? Egress.none() : offered);
    }

    /** The largest input accepted: 16 MiB. */
    static final int MAX_INPUT = 16 << 20;

    private byte[] readInput() throws IOException {
        byte[] b;
        if (input.equals("-")) {
            b = System.in.readNBytes(MAX_INPUT + 1);
        } else if (input.startsWith("@")) {
            try (var in = Files.newInputStream(Path.of(input.substring(1)))) {
                b = in.readNBytes(MAX_INPUT + 1);
            }
        } else {
            b = input.getBytes(StandardCharsets.UTF_8);
        }
        if (b.length > MAX_INPUT) {
            throw new IllegalArgumentException("--input: larger than 16MiB");
        }
        return b;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Allowance a;
        byte[] in;
        try {
            a = allowance();
            in = readInput();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--input: cannot read " + e.getMessage());
        }
        String[] r = SkillRegistryCommands.ref(ref);
        // a Python or JavaScript skill's interpreter is compiled once per cache, not per process
        Airlock airlock = cache.engine().memoryCacheEntries(4).build();
        return SkillCommand.guarded(
                spec,
                () -> {
                    Registry registry = SkillCommand.registry(spec, data.dir());
                    Registry.Installed s;
                    try {
                        s = registry.get(r[0], r[1], airlock);
                    } catch (SkillException e) {
                        if (e.refusal()) {
                            recordRefusal(airlock, e);
                        }
                        throw e;
                    }
                    SkillRunner.Result res;
                    try (Recording recording = Recording.open(data.dir(), !noStore, audit);
                            SkillRunner runner =
                                    new SkillRunner(
                                            airlock,
                                            () ->
                                                    cache.interpreter(airlock)
                                                            .warmStart(false)
                                                            .build(),
                                            registry,
                                            // a skill's calls to the skills it declared are
                                            // runs of their own, recorded beside it
                                            call -> {
                                                try {
                                                    recording.alsoRecord(
                                                            call.runId(), call.outcome());
                                                } catch (IOException x) {
                                                    err.println(
                                                            "airlock: cannot record the call to "
                                                                    + call.callee()
                                                                    + ": "
                                                                    + x.getMessage());
                                                }
                                            })) {
                        res = runner.run(s, tool, in, a, guest.stderr(), recording.sink());
                        recording.finish(res.outcome(), res.runId());
                    }
                    for (String note : res.notes()) {
                        err.println("airlock: note: " + note);
                    }
                    if (res.exitCode() == 0) {
                        guest.stdout()
                                .write(
                                        (Json.write(res.output()) + "\n")
                                                .getBytes(StandardCharsets.UTF_8));
                        guest.stdout().flush();
                    } else if (res.problem() != null) {
                        err.println("airlock: invalid output: " + res.problem());
                    } else {
                        guest.stdout().write(res.stdout());
                        guest.stdout().flush();
                        if (res.exitCode() >= 125 || res.exitCode() == RunCommand.INTERNAL) {
                            err.println("airlock: " + res.outcome().message());
                        }
                    }
                    err.flush();
                    return res.exitCode();
                });
    }

    /**
     * Records a skill refused at run time (changed at rest, key no longer trusted, ...), reason
     * {@code skill-LABEL}, such as {@code skill-tampered}.
     */
    private void recordRefusal(Airlock airlock, SkillException e) {
        SkillCommand.recordRefusal(spec, data.dir(), !noStore, audit, "skill", airlock, e);
    }
}
