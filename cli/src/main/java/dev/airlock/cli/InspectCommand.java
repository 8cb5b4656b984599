package dev.airlock.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.airlock.cli.component.ComponentInspect;
import dev.airlock.cli.options.EngineOptions;
import dev.airlock.cli.options.PolicyOptions;
import dev.airlock.cli.options.WasmOptions;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Size;
import java.io.PrintWriter;
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

/** {@code airlock inspect}: what a module is and asks for, without running it. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Validates MODULE and prints its hash, shape, exports, limits and imports grouped by",
            "capability, with the verdict of the policy the options describe. Runs no guest code.",
            "MODULE is a .wasm file or a .wat file (the text format, assembled first). For a",
            "WebAssembly component, prints its world (imports and exports) as WIT."
        },
        footer = {
            "",
            "Examples:",
            "  airlock inspect app.wasm",
            "  airlock inspect --clock deny --env HOME=/ --json app.wasm",
            "  airlock inspect --fuel 1000000 module.wat",
            "",
            "Exit status: 0 when the module is valid, 126 when it is rejected, 2 for usage errors."
        })
final class InspectCommand implements Callable<Integer> {
    private static final List<String> CAPABILITIES =
            List.of(
                    "files",
                    "environment",
                    "clock",
                    "random",
                    "process",
                    "sockets",
                    "host",
                    "unknown");

    @Mixin PolicyOptions policy = new PolicyOptions();
    @Mixin WasmOptions wasm = new WasmOptions();
    @Mixin EngineOptions engine = new EngineOptions();

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "MODULE", description = "The .wasm or .wat file.")
    Path module;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy p;
        try {
            p = policy.toPolicy(String.valueOf(module.getFileName()), List.of(), wasm);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (ComponentInspect.isComponent(module)) {
            return ComponentInspect.inspect(module, json, out, err);
        }
        Airlock airlock = engine.build();
        ModuleInfo info;
        try {
            GuestModule m = airlock.load(module);
            info = airlock.inspect(m, p);
        } catch (ModuleRejectedException e) {
            if (json) {
                out.println(Reports.JSON.writeValueAsString(Reports.toJson(e.toOutcome())));
            }
            err.println("airlock: module rejected: " + e.getMessage());
            err.flush();
            return RunCommand.REJECTED;
        }
        if (json) {
            out.println(Reports.JSON.writeValueAsString(info));
        } else {
            printText(out, info);
        }
        out.flush();
        return 0;
    }

    private void printText(PrintWriter out, ModuleInfo i) {
        out.printf("module     %s%n", module);
        out.printf("sha256     %s%n", i.sha256());
        out.printf("size       %d bytes%n", i.size());
        out.printf(
                "kind       %s%n",
                i.kind().equals("command")
                        ? "command (exports _start)"
                        : i.kind().equals("reactor")
                                ? "reactor (exports _initialize)"
                                : "library (no _start)");
        out.printf("functions  %d defined%n", i.functions());
        String compiled;
        if (!i.compiled()) {
            compiled =
                    "no, interpreted"
                            + (i.compileNote() == null ? "" : " (" + i.compileNote() + ")");
        } else if (i.interpretedFunctions().isEmpty()) {
            compiled = "yes, all functions compiled to JVM bytecode";
        } else {
            compiled =
                    "yes, but "
                            + i.interpretedFunctions().size()
                            + " function(s) fall back to the interpreter: "
                            + i.interpretedFunctions();
        }
        out.printf("compiled   %s%n", compiled);
        for (ModuleInfo.Limit l : i.memories()) {
            out.printf(
                    "memory     %s%s initial, %s maximum%n",
                    Size.format(l.initial() * Limits.PAGE),
                    l.imported() ? " (imported)" : "",
                    l.maximum() == null ? "no" : Size.format(l.maximum() * Limits.PAGE));
        }
        for (ModuleInfo.Limit l : i.tables()) {
            out.printf(
                    "table      %d initial, %s maximum%s%n",
                    l.initial(),
                    l.maximum() == null ? "no" : String.valueOf(l.maximum()),
                    l.imported() ? " (imported)" : "");
        }
        List<String> exports = new ArrayList<>();
        for (ModuleInfo.Export e : i.exports()) {
            exports.add(e.name() + " (" + e.type() + ")");
        }
        out.printf("exports    %s%n", exports.isEmpty() ? "none" : String.join(", ", exports));
        Map<String, List<ModuleInfo.Import>> byCap = new LinkedHashMap<>();
        CAPABILITIES.forEach(c -> byCap.put(c, new ArrayList<>()));
        i.imports().forEach(imp -> byCap.get(imp.capability()).add(imp));
        out.printf("imports    %d%n", i.imports().size());
        byCap.forEach(
                (cap, list) -> {
                    if (!list.isEmpty()) {
                        out.printf("  %s%n", cap);
                        for (ModuleInfo.Import imp : list) {
                            out.printf(
                                    "    %-45s %s%n",
                                    imp.module() + "." + imp.name(), imp.verdict());
                        }
                    }
                });
        if (i.runnable()) {
            out.println("verdict    runnable under this policy");
        } else {
            out.println("verdict    would be rejected:");
            i.problems().forEach(pr -> out.println("  - " + pr));
        }
    }
}
