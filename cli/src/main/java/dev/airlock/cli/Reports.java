package dev.airlock.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON form of an {@link Outcome}, as written by {@code --report}. */
final class Reports {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    static ObjectNode toJson(Outcome o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", o.status().id());
        if (o.exitCode() == null) {
            n.putNull("exitCode");
        } else {
            n.put("exitCode", o.exitCode());
        }
        if (o.kind() == null) {
            n.putNull("kind");
        } else {
            n.put("kind", o.kind());
        }
        n.put("message", o.message());
        ObjectNode u = n.putObject("usage");
        u.put("wallMillis", o.usage().wallMillis());
        u.put("memoryPeakBytes", o.usage().memoryPeakBytes());
        u.put("stdoutBytes", o.usage().stdoutBytes());
        u.put("stderrBytes", o.usage().stderrBytes());
        u.put("hostCalls", o.usage().hostCalls());
        u.put("startMillis", o.usage().startMillis());
        if (o.usage().metered()) {
            u.put("fuel", o.usage().fuel());
        } else {
            u.putNull("fuel");
        }
        ArrayNode d = n.putArray("denials");
        for (Denial denial : o.denials()) {
            ObjectNode x = d.addObject();
            x.put("call", denial.call());
            x.put("rule", denial.rule());
            x.put("detail", denial.detail());
        }
        ObjectNode m = n.putObject("module");
        if (o.moduleSha256() == null) {
            m.putNull("sha256");
        } else {
            m.put("sha256", o.moduleSha256());
        }
        return n;
    }

    static void write(Outcome o, Path file, PrintWriter err) throws IOException {
        String text = JSON.writeValueAsString(toJson(o)) + System.lineSeparator();
        if (file.toString().equals("-")) {
            err.print(text);
            err.flush();
        } else {
            Files.writeString(file, text);
        }
    }
}
