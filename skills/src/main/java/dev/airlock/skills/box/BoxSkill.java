package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An installed box's tool {@code run} (input {@code {"args": [...], "stdin": "..."}}, output {@code
 * {"exitCode", "stdout", "stderr"}}), run as {@code airlock box run} runs it: from the box's warm
 * image, with its files at their own paths and its WORKDIR as the working folder, under the skill's
 * effective grant (limits, clock and randomness). The box's own wrapper entry (which starts the
 * program cold, with the files under {@code /skill/rootfs}) is then not used.
 */
public final class BoxSkill {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BoxSkill() {}

    /** Whether an installed skill is a box (it carries {@code box.json}). */
    public static boolean isBox(SkillFiles files) {
        return files.get(BoxSpec.FILE) != null;
    }

    /**
     * Runs the box's program for {@code input} and writes the tool's JSON output to {@code out}
     * when the program ended by itself (its exit code is then part of the output, and the outcome
     * returned is {@code ok}); a program stopped by the sandbox keeps its outcome and writes
     * nothing.
     *
     * @param digest the box's signed digest (the key of its warm image)
     * @throws BoxException if the box's spec is unreadable or its command line cannot start
     */
    public static Outcome run(
            BoxRunner runner,
            SkillFiles files,
            String digest,
            JsonNode input,
            Policy grant,
            OutputStream out,
            EventSink events)
            throws BoxException {
        BoxRunner.Box box =
                new BoxRunner.Box(files, BoxSpec.parse(files.get(BoxSpec.FILE)), digest);
        List<String> args = new ArrayList<>();
        JsonNode a = input.path("args");
        if (a.isArray()) {
            a.forEach(x -> args.add(x.asText()));
        }
        byte[] stdin = input.path("stdin").asText("").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Outcome o =
                runner.run(
                        box,
                        args,
                        stdin,
                        grant.limits(),
                        grant.clock(),
                        grant.random(),
                        Stdio.of(stdout, stderr),
                        events);
        if (o.status() != Status.OK && o.status() != Status.EXIT) {
            return o;
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("exitCode", o.exitCode() == null ? 0 : o.exitCode());
        result.put("stdout", stdout.toString(StandardCharsets.UTF_8));
        result.put("stderr", stderr.toString(StandardCharsets.UTF_8));
        try {
            out.write(JSON.writeValueAsBytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(Status.OK, 0, null, "ok", o.usage(), o.denials(), o.moduleSha256());
    }
}
