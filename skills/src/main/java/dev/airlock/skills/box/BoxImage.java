package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.skills.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The layout of a box, a skill archive whose manifest runs the box's program: {@code skill.json}
 * (tool {@code run}), {@code box.json} (the {@link BoxSpec}), the image's files under {@code
 * rootfs/} (by their guest path), Python packages under {@code site/}, and under {@code box/} the
 * bundle of a JavaScript box and the skill's entry. Signed like any skill.
 */
public final class BoxImage {
    /** Where the image's files are in a box. */
    public static final String ROOTFS = "rootfs";

    /** Where a Python box's packages are in a box. */
    public static final String SITE = "site";

    /** A JavaScript box's bundle. */
    public static final String BUNDLE = "box/bundle.js";

    /** Where a Python box's packages are in its sandbox (as in the python:3.13 images). */
    public static final String GUEST_SITE = "/usr/local/lib/python3.13/site-packages";

    private static final ObjectMapper JSON = new ObjectMapper();

    private BoxImage() {}

    /** Why files may not be copied to {@code path} (a folder the sandbox gives), or null. */
    static String reserved(String path) {
        for (String r :
                List.of(
                        "/guest",
                        "/packages",
                        "/skill",
                        "/dev",
                        "/workspace",
                        "/tmp",
                        "/usr/local/lib/python313.zip")) {
            if (path.equals(r) || path.startsWith(r + "/")) {
                return r + " is the sandbox's own";
            }
        }
        return null;
    }

    /**
     * The file {@code python -m NAME} runs: in the working folder, then in the packages; a path in
     * {@code rootfs}, or {@code site/...}; null if none.
     */
    static String moduleFile(String name, String workdir, Set<String> rootfs, Set<String> site) {
        String rel = name.replace('.', '/');
        String base = workdir.equals("/") ? "" : workdir;
        for (String c : List.of(base + "/" + rel + "/__main__.py", base + "/" + rel + ".py")) {
            if (rootfs.contains(c)) {
                return c;
            }
        }
        for (String c : List.of(rel + "/__main__.py", rel + ".py")) {
            if (site.contains(c)) {
                return SITE + "/" + c;
            }
        }
        return null;
    }

    /**
     * The files of a box (unsigned).
     *
     * @param warnings gets the bundle's warnings (a JavaScript box)
     * @throws BoxException if the box's JavaScript cannot be bundled
     */
    public static Map<String, byte[]> files(
            BoxBuilder.Built b,
            String name,
            String version,
            String publisher,
            List<String> warnings)
            throws BoxException {
        if (!Manifest.isName(name)) {
            throw new BoxException(
                    "'" + name + "' is not a box name (lower-case letters, digits, dashes)");
        }
        BoxSpec spec = b.spec();
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : b.rootfs().entrySet()) {
            out.put(ROOTFS + f.getKey(), f.getValue());
        }
        for (Map.Entry<String, byte[]> f : b.site().entrySet()) {
            out.put(SITE + "/" + f.getKey(), f.getValue());
        }
        out.put(BoxSpec.FILE, spec.toJson());
        String kind;
        String entry;
        switch (spec.runtime()) {
            case "python" -> {
                kind = "python";
                entry = "box/skill.py";
                out.put(entry, SkillWrappers.PYTHON.getBytes(StandardCharsets.UTF_8));
            }
            case "javascript" -> {
                String bundle = JsBundle.of(b.rootfs(), warnings);
                out.put(BUNDLE, bundle.getBytes(StandardCharsets.UTF_8));
                ObjectNode s = JSON.createObjectNode();
                s.put("workdir", spec.workdir());
                spec.entrypoint().forEach(s.putArray("entrypoint")::add);
                spec.cmd().forEach(s.putArray("cmd")::add);
                kind = "javascript";
                entry = "box/skill.js";
                out.put(
                        entry,
                        (bundle + SkillWrappers.JAVASCRIPT_TAIL.replace("/*SPEC*/", s.toString()))
                                .getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                Launch l = Launch.of(spec, spec.argv(List.of()));
                for (String p : b.rootfs().keySet()) {
                    if (p.indexOf('/', 1) < 0) {
                        throw new BoxException(
                                "FROM scratch: "
                                        + p
                                        + " is at the top: put the files in a folder (WORKDIR /app)");
                    }
                }
                kind = "wasm";
                entry = ROOTFS + l.target();
            }
        }
        out.put(Manifest.FILE, manifest(spec, name, version, publisher, kind, entry));
        return out;
    }

    private static byte[] manifest(
            BoxSpec spec,
            String name,
            String version,
            String publisher,
            String kind,
            String entry) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", name);
        m.put("version", version);
        m.put("description", "A box built from a Dockerfile (FROM " + spec.from() + ").");
        m.put("publisher", publisher);
        ArrayNode tools = m.putArray("tools");
        ObjectNode t = tools.addObject();
        t.put("name", "run");
        t.put(
                "description",
                "Runs the box's program: args replace CMD (as docker run), stdin is its input; returns its exit code and output.");
        ObjectNode in = t.putObject("inputSchema");
        in.put("type", "object");
        ObjectNode ip = in.putObject("properties");
        ip.putObject("args").put("type", "array").putObject("items").put("type", "string");
        ip.putObject("stdin").put("type", "string");
        in.put("additionalProperties", false);
        ObjectNode o = t.putObject("outputSchema");
        o.put("type", "object");
        ObjectNode op = o.putObject("properties");
        op.putObject("exitCode").put("type", "integer");
        op.putObject("stdout").put("type", "string");
        op.putObject("stderr").put("type", "string");
        o.putArray("required").add("exitCode").add("stdout").add("stderr");
        ObjectNode e = m.putObject("entry");
        e.put("kind", kind);
        e.put("file", entry);
        ObjectNode caps = m.putObject("capabilities");
        caps.put("clock", true);
        caps.put("random", true);
        try {
            return JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(m)
                    .concat("\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }
}
