package dev.airlock.server;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Unsigned skills made for server tests, and uploads of their archives. */
final class SkillTestFiles {
    private SkillTestFiles() {}

    /** The wasm-echo example as published by acme, under another name and version. */
    static SkillFiles echo(Path scratch, String name, String version) throws Exception {
        Path dir = SkillApiTest.EXAMPLES.resolve("wasm-echo");
        TreeMap<String, byte[]> m = new TreeMap<>(SkillFiles.readFolder(dir).files());
        m.remove("main.wat");
        m.put("main.wasm", Wat2Wasm.parse(Files.readString(dir.resolve("main.wat"))));
        m.put(
                "skill.json",
                new String(m.get("skill.json"), StandardCharsets.UTF_8)
                        .replace("\"airlock-examples\"", "\"acme\"")
                        .replace("\"wasm-echo\"", "\"" + name + "\"")
                        .replaceFirst(
                                "\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\":\"" + version + "\"")
                        .getBytes(StandardCharsets.UTF_8));
        return folder(scratch, m);
    }

    /** A Python skill by acme with one tool, run, whose entry is {@code code}. */
    static SkillFiles python(Path scratch, String name, String code, String capabilities)
            throws Exception {
        TreeMap<String, byte[]> f = new TreeMap<>();
        f.put("main.py", code.getBytes(StandardCharsets.UTF_8));
        String manifest =
                "{\"name\":\""
                        + name
                        + "\",\"version\":\"1.0.0\",\"description\":\"test\",\"publisher\":\"acme\","
                        + "\"tools\":[{\"name\":\"run\",\"description\":\"t\","
                        + "\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":{\"type\":\"object\"}}],"
                        + "\"entry\":{\"kind\":\"python\",\"file\":\"main.py\"},\"capabilities\":"
                        + capabilities
                        + "}";
        f.put("skill.json", manifest.getBytes(StandardCharsets.UTF_8));
        return folder(scratch, f);
    }

    /** Files given by path, written to a new folder under {@code scratch} and read back. */
    static SkillFiles folder(Path scratch, Map<String, byte[]> m) throws Exception {
        Path d = Files.createTempDirectory(scratch, "skill-src");
        for (var e : m.entrySet()) {
            Files.write(d.resolve(e.getKey()), e.getValue());
        }
        return SkillFiles.readFolder(d);
    }

    static byte[] archive(SkillFiles f) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.pack(out);
        return out.toByteArray();
    }

    /** {@code POST /v1/skills QUERY} with the archive. */
    static HttpResponse<byte[]> upload(ServerKit kit, String key, byte[] archive, String query)
            throws Exception {
        HttpRequest req =
                HttpRequest.newBuilder(kit.uri("/v1/skills" + query))
                        .timeout(Duration.ofSeconds(120))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                        .build();
        return kit.http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * A file of an installed skill as the server keeps it on disk: in the cached copy of its files,
     * named by the digest its install answered.
     */
    static java.nio.file.Path cached(ServerKit kit, HttpResponse<byte[]> installed, String file)
            throws Exception {
        String digest =
                dev.airlock.server.http.Json.MAPPER
                        .readTree(installed.body())
                        .get("sha256")
                        .asText();
        return kit.data.resolve("skills/cache").resolve(digest).resolve(file);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
