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
public final class Reports {
    /** The JSON mapper of reports: indented output. */
    public static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    /**
     * Checks, before a run, that {@code --report FILE} can be written: {@code -}, or a file that is
     * not a folder, in an existing folder that can be written (and that is writable itself if it
     * exists).
     *
     * @throws IllegalArgumentException with a one-line message naming the problem
     */
    static void checkWritable(Path file) {
        checkWritable(file, "--report");
    }

    /** As {@link #checkWritable(Path)}, for the file of {@code option}. */
    static void checkWritable(Path file, String option) {
        if (file.toString().equals("-")) {
            return;
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        String problem = null;
        if (Files.isDirectory(abs)) {
            problem = "it is a folder";
        } else if (Files.exists(abs)) {
            if (!Files.isWritable(abs)) {
                problem = "permission denied";
            }
        } else if (dir == null || !Files.isDirectory(dir)) {
            problem = "no such folder " + dir;
        } else if (!Files.isWritable(dir)) {
            problem = "permission denied in " + dir;
        }
        if (problem != null) {
            throw new IllegalArgumentException(option + ": cannot write " + file + ": " + problem);
        }
    }

    /** A short reason for a failed file operation, without the Java class name. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage();
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
