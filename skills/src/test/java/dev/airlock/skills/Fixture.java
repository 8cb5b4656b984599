package dev.airlock.skills;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.audit.AuditKeys;
import dev.airlock.core.Airlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/** A data folder with a trusted publisher key, and skills made and signed in memory. */
final class Fixture {
    static final Path EXAMPLES = Path.of("..", "examples", "skills");
    static final Airlock AIRLOCK = Airlock.builder().build();

    final Path data;
    final Registry registry;
    final AuditKeys key;

    Fixture(Path tmp) throws Exception {
        this.data = tmp.resolve("data");
        this.registry = Registry.open(data);
        this.key = AuditKeys.create(registry.keysDir(), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(key.publicKey()));
    }

    /** A wasm skill named {@code name} from WAT, with a manifest whose capabilities are given. */
    static SkillFiles wasm(String name, String version, String wat, String capabilities) {
        TreeMap<String, byte[]> f = new TreeMap<>();
        f.put("main.wasm", Wat2Wasm.parse(wat));
        f.put(Manifest.FILE, utf8(manifest(name, version, "wasm", "main.wasm", capabilities)));
        return new SkillFiles(f);
    }

    static String manifest(
            String name, String version, String kind, String file, String capabilities) {
        return "{\"name\":\""
                + name
                + "\",\"version\":\""
                + version
                + "\",\"description\":\"test\",\"publisher\":\"acme\","
                + "\"tools\":[{\"name\":\"run\",\"description\":\"t\","
                + "\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":{\"type\":\"object\"}}],"
                + "\"entry\":{\"kind\":\""
                + kind
                + "\",\"file\":\""
                + file
                + "\"},\"capabilities\":"
                + capabilities
                + "}";
    }

    /** A Python skill whose entry is {@code code}. */
    static SkillFiles python(String name, String code, String capabilities) {
        TreeMap<String, byte[]> f = new TreeMap<>();
        f.put("main.py", utf8(code));
        f.put(Manifest.FILE, utf8(manifest(name, "1.0.0", "python", "main.py", capabilities)));
        return new SkillFiles(f);
    }

    /** An example skill as published by "acme", its wasm assembled from the WAT source. */
    static SkillFiles example(String folder) throws SkillException, IOException {
        SkillFiles f = SkillFiles.readFolder(EXAMPLES.resolve(folder));
        TreeMap<String, byte[]> m = new TreeMap<>(f.files());
        m.remove("main.wat");
        // published here by the fixture's trusted key, under its name
        m.put(
                Manifest.FILE,
                utf8(
                        new String(m.get(Manifest.FILE), StandardCharsets.UTF_8)
                                .replace("\"airlock-examples\"", "\"acme\"")));
        if (m.containsKey("main.wasm")) {
            m.put(
                    "main.wasm",
                    Wat2Wasm.parse(Files.readString(EXAMPLES.resolve(folder).resolve("main.wat"))));
        }
        return new SkillFiles(m);
    }

    SkillFiles sign(SkillFiles f) throws SkillException {
        return Signatures.sign(f, key);
    }

    Registry.Entry install(SkillFiles f) throws SkillException {
        return registry.install(sign(f), false, AIRLOCK);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final String HELLO_WAT =
            "(module (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + " (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (memory (export \"memory\") 1)"
                    + " (data (i32.const 16) \"{\\\"ok\\\":true}\")"
                    + " (func (export \"_start\") (i32.store (i32.const 0) (i32.const 16))"
                    + " (i32.store (i32.const 4) (i32.const 11))"
                    + " (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))";

    /** A module that also imports {@code module.name} (as a function of no parameters). */
    static String importing(String module, String name, String params) {
        return HELLO_WAT.replace(
                "(memory",
                "(import \"" + module + "\" \"" + name + "\" (func " + params + ")) (memory");
    }
}
