package dev.airlock.cli.component;

import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.EngineOptions;
import dev.airlock.cli.options.PolicyOptions;
import dev.airlock.cli.options.RunOptions;
import dev.airlock.components.Component;
import dev.airlock.components.ComponentException;
import dev.airlock.components.ComponentInstance;
import dev.airlock.components.ComponentResult;
import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock call}: calls one function a WebAssembly component exports, JSON in and out. */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        description = {
            "Instantiates COMPONENT (a WebAssembly component) under the policy the options",
            "describe and calls FUNCTION with the JSON array of --args through the canonical ABI.",
            "The result is printed as JSON on stdout. FUNCTION is NAME for a function the",
            "component exports itself, INTERFACE#NAME for one of an exported interface."
        },
        footer = {
            "",
            "Examples:",
            "  airlock call app.wasm add --args '[40, 2]'",
            "  airlock call app.wasm 'example:app/greeter#greet' --args '[\"world\"]'",
            "  airlock call --timeout 2s --memory 64MiB app.wasm 'example:app/counters#reset'",
            "",
            "JSON: records are objects, variants {\"case\": payload}, enums \"case\", flags arrays",
            "of names, options null or the value, results {\"ok\": v} or {\"error\": v}, tuples and",
            "lists arrays, char a one-character string, resources handle numbers.",
            "",
            "Exit status: 0 with the result on stdout; 1 when the function returned a result's",
            "error (its payload is printed); 125 when the sandbox stopped the call (a trap or",
            "limit); 126 when the component was rejected (malformed, unsupported, or it imports",
            "something not supplied); 2 for usage errors (no such function, bad arguments); 70 for",
            "an internal error."
        })
public final class CallCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper COMPACT =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Mixin PolicyOptions policy = new PolicyOptions();
    @Mixin RunOptions limits = new RunOptions();
    @Mixin EngineOptions engine = new EngineOptions();

    @Option(
            names = "--args",
            paramLabel = "JSON-ARRAY",
            description = "The arguments as a JSON array (default: []).")
    String args = "[]";

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "The component .wasm file.")
    Path file;

    @Parameters(index = "1", paramLabel = "FUNCTION", description = "NAME or INTERFACE#NAME.")
    String function;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Stdio guest;

    /** A {@code call} whose guest writes to {@code guest}. */
    public CallCommand(Stdio guest) {
        this.guest = guest;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy p;
        try {
            p = policy.toPolicy(String.valueOf(file.getFileName()), List.of(), limits);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Component component;
        try {
            component = Component.load(file);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        } catch (ComponentException e) {
            return rejected(err, e.getMessage());
        }
        Airlock airlock = engine.build();
        try (ComponentInstance ci = ComponentInstance.create(airlock, component, p)) {
            ComponentResult r;
            try {
                r = ci.call(function, args, guest);
            } catch (ComponentException e) {
                err.println("airlock: " + e.getMessage());
                err.flush();
                return RunCommand.USAGE_ERROR;
            }
            return finish(out, err, r);
        } catch (ComponentException e) {
            return rejected(err, e.getMessage());
        } catch (ModuleRejectedException e) {
            return rejected(err, e.getMessage());
        }
    }

    private static int rejected(PrintWriter err, String message) {
        err.println("airlock: component rejected: " + message);
        err.flush();
        return RunCommand.REJECTED;
    }

    private static int finish(PrintWriter out, PrintWriter err, ComponentResult r)
            throws IOException {
        Outcome o = r.outcome();
        if (o.status() == Status.OK) {
            if (r.error()) {
                out.println(COMPACT.writeValueAsString(r.value().get("error")));
                out.flush();
                return 1;
            }
            out.println(COMPACT.writeValueAsString(r.value()));
            out.flush();
            return 0;
        }
        err.println("airlock: " + o.message());
        err.flush();
        return switch (o.status()) {
            case EXIT -> o.exitCode();
            case TRAP, LIMIT -> RunCommand.STOPPED;
            case REJECTED -> RunCommand.REJECTED;
            default -> RunCommand.INTERNAL;
        };
    }
}
