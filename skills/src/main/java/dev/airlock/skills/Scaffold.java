package dev.airlock.skills;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code airlock skill new}: a folder with a manifest and a working entry that echoes its input, in
 * WebAssembly (text and binary), Python or JavaScript.
 */
public final class Scaffold {
    private Scaffold() {}

    /**
     * Writes a new skill into {@code dir} (which must not exist or be empty) whose entry is the
     * component {@code component}: one tool per exported function (its bare name; functions whose
     * types hold resource handles, and wasi:cli/run, are left out), each with the input and output
     * JSON Schemas derived from its WIT type, and the capabilities its imports need (the clock for
     * wasi:clocks, randomness for wasi:random).
     *
     * @throws SkillException if the component is not valid or exports no function a tool can be
     */
    public static Map<String, byte[]> fromComponent(
            Path dir, String name, byte[] component, String publisher) throws SkillException {
        if (!Manifest.NAME.matcher(name).matches() || name.length() > 64) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    "name: '" + name + "' must be lower-case letters, digits and dashes");
        }
        dev.airlock.components.Component c;
        try {
            c = dev.airlock.components.Component.load(component);
        } catch (dev.airlock.components.ComponentException e) {
            throw new SkillException(
                    SkillException.Kind.INVALID, "component rejected: " + e.getMessage());
        }
        com.fasterxml.jackson.databind.node.ArrayNode tools = Json.MAPPER.createArrayNode();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String f : c.functions()) {
            String tool = f.substring(f.indexOf('#') + 1);
            if (f.startsWith("wasi:cli/run@")
                    || !Manifest.TOOL.matcher(tool).matches()
                    || !seen.add(tool)
                    || c.inputSchema(f).toString().contains("a resource handle number")
                    || c.outputSchema(f).toString().contains("a resource handle number")) {
                continue;
            }
            var t = tools.addObject();
            t.put("name", tool);
            t.put("description", "The component's " + f + ".");
            t.set("inputSchema", c.inputSchema(f));
            t.set("outputSchema", c.outputSchema(f));
        }
        if (tools.isEmpty()) {
            throw new SkillException(
                    SkillException.Kind.INVALID, "the component exports no function a tool can be");
        }
        var caps = Json.MAPPER.createObjectNode();
        for (String iface : c.imports()) {
            String cap = ComponentSkill.capability(iface);
            if (cap.equals("clock") || cap.equals("random")) {
                caps.put(cap, true);
            }
        }
        var m = Json.MAPPER.createObjectNode();
        m.put("name", name);
        m.put("version", "0.1.0");
        m.put("description", "What this skill does.");
        m.put("publisher", publisher);
        m.set("tools", tools);
        m.putObject("entry").put("kind", "component").put("file", "component.wasm");
        m.set("capabilities", caps);
        m.putObject("limits").put("memory", "64MiB").put("timeout", "10s").put("output", "1MiB");
        Map<String, byte[]> files = new TreeMap<>();
        files.put("component.wasm", component.clone());
        String manifest;
        try {
            manifest = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return write(dir, files, manifest);
    }

    /**
     * Writes a new skill into {@code dir}, which must not exist or be empty.
     *
     * @return the files written, by relative path
     */
    public static Map<String, byte[]> create(
            Path dir, String name, Manifest.Entry.Kind kind, String publisher)
            throws SkillException {
        if (!Manifest.NAME.matcher(name).matches() || name.length() > 64) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    "name: '" + name + "' must be lower-case letters, digits and dashes");
        }
        Map<String, byte[]> files = new TreeMap<>();
        String entry;
        switch (kind) {
            case WASM:
                entry = "main.wasm";
                files.put("main.wasm", resource("template.wasm"));
                files.put("main.wat", resource("template.wat"));
                break;
            case PYTHON:
                entry = "main.py";
                files.put(
                        "main.py",
                        utf8(
                                "import json, os, sys\n\n"
                                        + "tool = os.environ[\"AIRLOCK_TOOL\"]\n"
                                        + "args = json.load(sys.stdin)\n"
                                        + "json.dump({\"input\": args}, sys.stdout)\n"));
                break;
            default:
                entry = "main.js";
                files.put(
                        "main.js",
                        utf8(
                                "const args = JSON.parse(airlock.readStdin());\n"
                                        + "console.log(JSON.stringify({input: args}));\n"));
        }
        String tool = kind == Manifest.Entry.Kind.WASM ? "echo" : "run";
        String manifest =
                "{\n"
                        + "  \"name\": "
                        + Json.write(name)
                        + ",\n"
                        + "  \"version\": \"0.1.0\",\n"
                        + "  \"description\": \"What this skill does.\",\n"
                        + "  \"publisher\": "
                        + Json.write(publisher)
                        + ",\n"
                        + "  \"tools\": [\n"
                        + "    {\n"
                        + "      \"name\": \""
                        + tool
                        + "\",\n"
                        + "      \"description\": \"Returns its input as {\\\"input\\\": INPUT}.\",\n"
                        + "      \"inputSchema\": {\"type\": \"object\"},\n"
                        + "      \"outputSchema\": {\"type\": \"object\", \"required\": [\"input\"]}\n"
                        + "    }\n"
                        + "  ],\n"
                        + "  \"entry\": {\"kind\": \""
                        + kind.id()
                        + "\", \"file\": \""
                        + entry
                        + "\"},\n"
                        + "  \"capabilities\": {},\n"
                        + "  \"limits\": {\"memory\": \""
                        + (kind == Manifest.Entry.Kind.WASM ? "16MiB" : "256MiB")
                        + "\", \"timeout\": \"10s\", \"output\": \"1MiB\"}\n"
                        + "}\n";
        return write(dir, files, manifest);
    }

    /** Validates the manifest among {@code files} and writes them into an empty {@code dir}. */
    private static Map<String, byte[]> write(Path dir, Map<String, byte[]> files, String manifest)
            throws SkillException {
        files.put(Manifest.FILE, utf8(manifest));
        try {
            Manifest.parse(files.get(Manifest.FILE));
        } catch (SkillException e) {
            throw new SkillException(SkillException.Kind.INVALID, "publisher: " + e.getMessage());
        }
        try {
            if (Files.exists(dir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new FileAlreadyExistsException(dir + " is not empty");
                    }
                }
            }
            new SkillFiles(new TreeMap<>(files)).writeTo(dir);
        } catch (FileAlreadyExistsException e) {
            throw new SkillException(SkillException.Kind.EXISTS, e.getMessage());
        } catch (IOException e) {
            throw new SkillException(
                    SkillException.Kind.IO, "cannot write " + dir + ": " + e.getMessage());
        }
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws SkillException {
        try (InputStream in = Scaffold.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new SkillException(SkillException.Kind.IO, "missing template " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot read template " + name);
        }
    }
}
