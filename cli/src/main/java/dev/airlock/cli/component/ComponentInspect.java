package dev.airlock.cli.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.cli.Reports;
import dev.airlock.cli.RunCommand;
import dev.airlock.components.Component;
import dev.airlock.components.ComponentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code airlock inspect} of a WebAssembly component: its world as WIT. */
public final class ComponentInspect {
    private ComponentInspect() {}

    /** Whether the file starts with the component preamble (layer 1); false if unreadable. */
    public static boolean isComponent(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Component.isComponent(in.readNBytes(8));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Prints the component in {@code file}, as JSON with {@code json}; returns the exit status. */
    public static int inspect(Path file, boolean json, PrintWriter out, PrintWriter err)
            throws JsonProcessingException {
        Component c;
        try {
            c = Component.load(file);
        } catch (IOException e) {
            err.println("airlock: component rejected: cannot read " + file);
            err.flush();
            return RunCommand.REJECTED;
        } catch (ComponentException e) {
            if (json) {
                ObjectNode n = Reports.JSON.createObjectNode();
                n.put("status", "rejected");
                n.put("kind", e.kind().id());
                n.put("message", e.getMessage());
                out.println(Reports.JSON.writeValueAsString(n));
                out.flush();
            }
            err.println("airlock: component rejected: " + e.getMessage());
            err.flush();
            return RunCommand.REJECTED;
        }
        String problem = c.refusal(dev.airlock.core.Policy.defaults());
        if (json) {
            ObjectNode n = Reports.JSON.createObjectNode();
            n.put("kind", "component");
            n.put("sha256", c.sha256());
            n.put("size", c.size());
            c.imports().forEach(n.putArray("imports")::add);
            c.functions().forEach(n.putArray("functions")::add);
            ObjectNode schemas = n.putObject("schemas");
            for (String f : c.functions()) {
                ObjectNode one = schemas.putObject(f);
                one.set("input", c.inputSchema(f));
                one.set("output", c.outputSchema(f));
            }
            n.put("runnable", problem == null);
            if (problem != null) {
                n.putArray("problems").add(problem);
            }
            n.put("wit", c.wit());
            out.println(Reports.JSON.writeValueAsString(n));
        } else {
            out.printf("component  %s%n", file);
            out.printf("sha256     %s%n", c.sha256());
            out.printf("size       %d bytes%n", c.size());
            out.printf(
                    "runnable   %s%n", problem == null ? "yes (airlock call)" : "no: " + problem);
            out.println();
            out.print(c.wit());
        }
        out.flush();
        return 0;
    }
}
