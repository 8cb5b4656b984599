package dev.airlock.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.store.Store;
import dev.airlock.cli.Main;
import dev.airlock.cli.options.DataOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock audit show FILE}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a trail readably, one record per line.",
            "Exit status: 0; 1 when --run names no run of the trail or the store, or the store",
            "cannot be read; 2 for usage errors (a FILE that is missing or unreadable)."
        })
final class AuditShowCommand implements Callable<Integer> {
    @Mixin DataOptions data = new DataOptions();

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "A JSON Lines trail; without it, the store in the data folder.")
    Path file;

    @Option(
            names = "--run",
            paramLabel = "ID",
            description =
                    "Only this run; then, for a skill that called other skills, the call tree"
                            + " (each callee's run under its caller's).")
    String run;

    @Option(names = "--denied", description = "Only denied calls.")
    boolean denied;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private List<String> tree = List.of();

    /** One run's outcome as a skill-to-skill call sees it. */
    private record Node(String run, String skill, String tool, String status, String parent) {}

    /**
     * Prints the skill-to-skill calls under {@link #run}: each run whose outcome record names it as
     * {@code parentRun} ({@code run:ID}), and theirs, indented.
     */
    private void callTree(PrintWriter out, ObjectMapper json) throws IOException {
        java.util.Map<String, List<Node>> children = new java.util.LinkedHashMap<>();
        Node root = null;
        for (String line : tree) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            if (!"outcome".equals(n.path("step").asText())) {
                continue;
            }
            JsonNode d = n.path("details");
            String parent = d.path("parentRun").asText("");
            Node node =
                    new Node(
                            n.path("run").asText(),
                            d.path("skill").asText(""),
                            d.path("skillTool").asText(""),
                            d.path("status").asText(""),
                            parent.startsWith("run:") ? parent.substring(4) : null);
            if (node.run().equals(run) && !node.skill().isEmpty()) {
                root = node;
            }
            if (node.parent() != null) {
                children.computeIfAbsent(node.parent(), k -> new java.util.ArrayList<>()).add(node);
            }
        }
        if (!children.containsKey(run)) {
            return;
        }
        out.println("call tree:");
        out.println(
                "  "
                        + run
                        + (root == null
                                ? ""
                                : "  " + root.skill() + "/" + root.tool() + " " + root.status()));
        print(out, children, run, 2, new java.util.HashSet<>());
    }

    private static void print(
            PrintWriter out,
            java.util.Map<String, List<Node>> children,
            String parent,
            int depth,
            java.util.Set<String> seen) {
        if (!seen.add(parent) || depth > 64) {
            return;
        }
        for (Node c : children.getOrDefault(parent, List.of())) {
            out.println(
                    "  ".repeat(depth)
                            + c.run()
                            + "  "
                            + c.skill()
                            + "/"
                            + c.tool()
                            + " "
                            + c.status());
            print(out, children, c.run(), depth + 1, seen);
        }
    }

    /** Whether {@link #run} has records in the file or the store. */
    private boolean knownRun() throws IOException {
        if (file == null) {
            try (Store store = Store.open(data.dir())) {
                return !store.auditLines(run).isEmpty();
            }
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && run.equals(json.readTree(line).path("run").asText())) {
                return true;
            }
        }
        return false;
    }

    private List<String> lines() throws IOException {
        if (file != null) {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        try (Store store = Store.open(data.dir())) {
            if (denied) {
                return store.deniedLines();
            }
            return run != null ? store.auditLines(run) : store.auditLines();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (AuditCommand.unreadable(file, err)) {
            return Main.USAGE;
        }
        ObjectMapper json = new ObjectMapper();
        try {
            if (run != null && !knownRun()) {
                err.println(
                        "airlock: unknown run: "
                                + run
                                + " (not in "
                                + (file != null ? file : "the store in " + data.dir())
                                + ")");
                err.flush();
                return 1;
            }
            List<String> all = lines();
            if (run != null && file == null && !denied) {
                // the callees' records are under their own runs: the tree needs every run's
                try (Store store = Store.open(data.dir())) {
                    all = new java.util.ArrayList<>(all);
                    tree = store.auditLines();
                }
            } else {
                tree = all;
            }
            for (String line : all) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                if (run != null && !run.equals(n.path("run").asText())) {
                    continue;
                }
                if (denied && !"deny".equals(n.path("decision").asText())) {
                    continue;
                }
                out.println(AuditCommand.AuditFormat.line(n));
            }
            if (run != null && !denied) {
                callTree(out, json);
            }
        } catch (IOException e) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "airlock: cannot read "
                                    + (file != null ? file : data.dir())
                                    + ": "
                                    + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        out.flush();
        return 0;
    }
}
