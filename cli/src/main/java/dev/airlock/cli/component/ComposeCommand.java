package dev.airlock.cli.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.cli.Recording;
import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.options.EngineOptions;
import dev.airlock.components.Component;
import dev.airlock.components.ComponentException;
import dev.airlock.components.ComponentResult;
import dev.airlock.components.Composition;
import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock compose}: runs components wired together, each under its own policy. */
@Command(
        name = "compose",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the WebAssembly components MANIFEST names, wired together: an interface one",
            "imports is supplied by another that exports it, and each runs under its own policy",
            "(files, environment, clock, randomness, limits), so a component gets only its own",
            "grants whoever calls it. The root component runs as a command (its wasi:cli/run,",
            "with ARGS after its manifest args), or --call calls one of its functions."
        },
        footer = {
            "",
            "Examples:",
            "  airlock compose app.json",
            "  airlock compose app.json --call report",
            "  airlock compose --audit trail.jsonl app.json one two",
            "",
            "MANIFEST (JSON; paths relative to its folder):",
            "  {\"root\": \"app\",",
            "   \"components\": {",
            "     \"app\": {\"file\": \"app.wasm\", \"clock\": \"deny\"},",
            "     \"store\": {\"file\": \"store.wasm\", \"env\": {\"TOKEN\": \"s3cret\"},",
            "               \"mounts\": [\"data:/data:ro\"], \"timeout\": \"2s\"}},",
            "   \"links\": [{\"component\": \"app\", \"import\": \"example:kv/store@0.1.0\",",
            "              \"from\": \"store\"}]}",
            "A component's fields: file, args, env, mounts, clock (real, frozen, deny), random",
            "(real, seed:N, deny), stdin, timeout, memory, maxOutput.",
            "",
            "Exit status: as airlock run for a command (with --call, as airlock call); 126 when a",
            "component or a link is refused; 2 for usage errors (a bad manifest)."
        })
public final class ComposeCommand implements Callable<Integer> {
    private static final ObjectMapper COMPACT = new ObjectMapper();

    @Mixin EngineOptions engine = new EngineOptions();
    @Mixin DataOptions data = new DataOptions();

    @Option(
            names = "--call",
            paramLabel = "FUNCTION",
            description = "Call this function of the root component instead of running it.")
    String call;

    @Option(
            names = "--args",
            paramLabel = "JSON-ARRAY",
            description = "The arguments of --call as a JSON array (default: []).")
    String args = "[]";

    @Option(
            names = "--audit",
            paramLabel = "FILE",
            description = "Write the audit trail of every component to FILE as JSON Lines.")
    Path audit;

    @Option(names = "--no-store", description = "Do not record the run in the data folder's store.")
    boolean noStore;

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "The composition (JSON).")
    Path manifest;

    @Parameters(
            index = "1..*",
            paramLabel = "ARGS",
            description = "Arguments for the root component, after its manifest args.")
    List<String> rootArgs = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Stdio guest;

    /** A {@code compose} whose guests write to {@code guest}. */
    public ComposeCommand(Stdio guest) {
        this.guest = guest;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ComposeManifest m;
        try {
            m = ComposeManifest.read(manifest, rootArgs);
        } catch (ComposeManifest.Problem e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Composition.Builder b = Composition.builder();
        try {
            for (Map.Entry<String, Path> e : m.files().entrySet()) {
                b.add(e.getKey(), load(e.getValue()), m.policies().get(e.getKey()));
            }
        } catch (ComponentException e) {
            return rejected(err, e.getMessage());
        }
        for (String[] l : m.links()) {
            try {
                b.link(l[0], l[1], l[2]);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        engine.cache.useForNativeLibraries();
        Airlock airlock = engine.build();
        try (Recording recording = Recording.open(data.dir(), !noStore, audit);
                Composition c = b.build(airlock, recording.sink())) {
            if (call != null) {
                ComponentResult r;
                try {
                    r = c.instance(m.root()).call(call, args, guest);
                } catch (ComponentException e) {
                    err.println("airlock: " + e.getMessage());
                    err.flush();
                    return RunCommand.USAGE_ERROR;
                }
                recording.finish(r.outcome());
                return printed(out, err, r);
            }
            Outcome o;
            try {
                o = c.instance(m.root()).runCommand(guest);
            } catch (ComponentException e) {
                o = ComponentResult.refused(e.getMessage(), null);
            }
            recording.finish(o);
            int code = RunCommand.exitStatus(o);
            if (code == RunCommand.STOPPED
                    || code == RunCommand.REJECTED
                    || code == RunCommand.INTERNAL) {
                err.println("airlock: " + o.message());
            }
            err.flush();
            return code;
        } catch (ComponentException | ModuleRejectedException e) {
            return rejected(err, e.getMessage());
        }
    }

    private Component load(Path file) throws ComponentException {
        try {
            return Component.load(file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int rejected(PrintWriter err, String message) {
        err.println("airlock: component rejected: " + message);
        err.flush();
        return RunCommand.REJECTED;
    }

    private static int printed(PrintWriter out, PrintWriter err, ComponentResult r)
            throws IOException {
        Outcome o = r.outcome();
        if (o.status() == Status.OK) {
            Object v = r.error() ? r.value().get("error") : r.value();
            out.println(COMPACT.writeValueAsString(v));
            out.flush();
            return r.error() ? 1 : 0;
        }
        err.println("airlock: " + o.message());
        err.flush();
        return RunCommand.exitStatus(o);
    }
}
