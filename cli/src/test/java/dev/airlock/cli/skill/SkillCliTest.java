package dev.airlock.cli.skill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.CliHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock skill ...} end to end, against a data folder in a temporary directory. */
class SkillCliTest {
    @TempDir Path tmp;

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    /** Refused with exit 126 and exactly one line on stderr, no Java in it. */
    static void refused(CliHarness.Result r, String expected) {
        CliHarness.refused(r, 126, expected);
    }

    @Test
    void newSignPackInstallListShowRunRemove() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = tmp.resolve("demo");
        CliHarness.ok(
                "skill",
                "new",
                "demo",
                "--kind",
                "wasm",
                "--publisher",
                "acme",
                "--dir",
                dir.toString());
        // unsigned: refused
        refused(CliHarness.run("skill", "install", dir.toString(), data()), "unsigned");
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        Path archive = tmp.resolve("demo-0.1.0.skill");
        CliHarness.ok("skill", "pack", dir.toString(), "-o", archive.toString());
        byte[] first = Files.readAllBytes(archive);
        CliHarness.ok("skill", "pack", dir.toString(), "-o", archive.toString());
        assertThat(Files.readAllBytes(archive)).isEqualTo(first);
        assertThat(CliHarness.ok("skill", "verify", archive.toString(), data()).out())
                .startsWith("ok: demo@0.1.0 signed by acme")
                .contains("imports      stdio");
        assertThat(CliHarness.ok("skill", "install", archive.toString(), data()).out())
                .contains("installed demo@0.1.0 by acme");
        assertThat(CliHarness.run("skill", "install", archive.toString(), data()).code())
                .isEqualTo(1);
        assertThat(CliHarness.ok("skill", "list", data()).out())
                .contains("demo", "0.1.0", "wasm", "acme");
        String show = CliHarness.ok("skill", "show", "demo", data()).out();
        assertThat(show)
                .contains("fingerprint", "digest", "main.wasm", "tool         echo")
                .contains("declares     nothing")
                .containsPattern(
                        "imports\\s+stdio\\s+\\(always\\)\\s+wasi_snapshot_preview1.args_get");
        assertThat(CliHarness.ok("skill", "show", "demo@0.1.0", "--json", data()).out())
                .contains("\"fingerprint\"", "\"imports\"");

        CliHarness.Result run =
                CliHarness.ok(
                        "skill",
                        "run",
                        "demo",
                        "echo",
                        "--input",
                        "{\"a\": [1, 2]}",
                        "--no-store",
                        data());
        assertThat(run.guestOut()).isEqualTo("{\"input\":{\"a\":[1,2]}}\n");
        // recorded in the store by default
        assertThat(CliHarness.ok("skill", "run", "demo@0.1.0", "--input", "{}", data()).guestOut())
                .isEqualTo("{\"input\":{}}\n");

        CliHarness.Result badInput =
                CliHarness.run("skill", "run", "demo", "--input", "[1]", "--no-store", data());
        assertThat(badInput.code()).isEqualTo(2);
        assertThat(badInput.err())
                .contains("airlock: invalid input: tool echo: $: expected object, got array");
        CliHarness.Result notJson =
                CliHarness.run("skill", "run", "demo", "--input", "{", "--no-store", data());
        assertThat(notJson.code()).isEqualTo(2);
        assertThat(CliHarness.run("skill", "run", "demo", "nope", "--no-store", data()).err())
                .contains("has no tool 'nope'");
        CliHarness.Result fuel =
                CliHarness.run("skill", "run", "demo", "--fuel", "20", "--no-store", data());
        assertThat(fuel.code()).isEqualTo(125);
        assertThat(fuel.err()).contains("airlock: limit exceeded: fuel");

        // changed at rest: refused at run, and the refusal is in the trail
        Path installed = CliHarness.cached(tmp.resolve("data"), "main.wasm");
        byte[] good = Files.readAllBytes(installed);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        Files.write(installed, bad);
        Path refusals = tmp.resolve("refusals.jsonl");
        refused(
                CliHarness.run("skill", "run", "demo", "--audit", refusals.toString(), data()),
                "tampered: main.wasm changed since signing");
        assertThat(Files.readString(refusals))
                .contains("skill-tampered", "main.wasm changed since signing");
        Files.write(installed, good);

        assertThat(CliHarness.ok("skill", "remove", "demo", data()).out())
                .contains("removed demo@0.1.0");
        assertThat(CliHarness.ok("skill", "list", data()).out()).isBlank();
        CliHarness.Result gone = CliHarness.run("skill", "run", "demo", "--no-store", data());
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err().strip()).isEqualTo("airlock: not found: demo is not installed");
    }

    @Test
    void tamperedUntrustedAndDowngradedSkillsAreRefusedWithOneLine() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = tmp.resolve("demo");
        CliHarness.ok(
                "skill",
                "new",
                "demo",
                "--kind",
                "python",
                "--publisher",
                "acme",
                "--dir",
                dir.toString());
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        Files.writeString(
                dir.resolve("main.py"),
                "\nimport os",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        refused(
                CliHarness.run("skill", "install", dir.toString(), data()),
                "tampered: main.py changed since signing");
        refused(CliHarness.run("skill", "verify", dir.toString(), data()), "tampered");

        // signed by a key nobody trusts here
        CliHarness.ok("skill", "keys", "create", "stranger", data());
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "stranger", data());
        refused(
                CliHarness.run("skill", "install", dir.toString(), data()),
                "untrusted publisher: key ");

        // 0.2.0 installed, then 0.1.0 is a downgrade
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        Path v1 = tmp.resolve("v1.skill");
        CliHarness.ok("skill", "pack", dir.toString(), "-o", v1.toString());
        Path manifest = dir.resolve("skill.json");
        Files.writeString(manifest, Files.readString(manifest).replace("0.1.0", "0.2.0"));
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        CliHarness.ok("skill", "install", dir.toString(), data());
        refused(
                CliHarness.run("skill", "install", v1.toString(), data()),
                "downgrade: demo@0.1.0 is older than the installed 0.2.0");
        CliHarness.ok("skill", "install", v1.toString(), "--allow-downgrade", data());
        assertThat(CliHarness.ok("skill", "list", data()).out()).contains("0.1.0", "0.2.0");
    }

    @Test
    void anUndeclaredImportIsRefusedAtInstall() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = tmp.resolve("clock");
        CliHarness.ok(
                "skill",
                "new",
                "clock",
                "--kind",
                "wasm",
                "--publisher",
                "acme",
                "--dir",
                dir.toString());
        String wat =
                Files.readString(dir.resolve("main.wat"))
                        .replace(
                                "(memory (export",
                                "(import \"wasi_snapshot_preview1\" \"clock_time_get\" (func (param i32 i64 i32) (result i32)))\n  (memory (export");
        Files.write(dir.resolve("main.wasm"), com.dylibso.chicory.wabt.Wat2Wasm.parse(wat));
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        refused(
                CliHarness.run("skill", "install", dir.toString(), data()),
                "undeclared capability: clock@0.1.0: main.wasm needs capability 'clock'");
    }

    /** Copies an example skill folder (they are committed unsigned) to sign it here. */
    Path example(String name) throws IOException {
        Path from = Path.of("..", "examples", "skills", name);
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    @Test
    void theExampleSkillsRunThroughTheCli() throws Exception {
        CliHarness.ok("skill", "keys", "create", "airlock-examples", "--trust", data());
        for (String name : new String[] {"wasm-echo", "py-stats", "js-slug"}) {
            Path dir = example(name);
            CliHarness.ok("skill", "sign", dir.toString(), "--key", "airlock-examples", data());
            CliHarness.ok("skill", "install", dir.toString(), data());
        }
        assertThat(
                        CliHarness.ok(
                                        "skill",
                                        "run",
                                        "wasm-echo",
                                        "count",
                                        "--input",
                                        "{\"k\":\"v\"}",
                                        "--no-store",
                                        data())
                                .guestOut())
                .isEqualTo("{\"bytes\":9}\n");
        assertThat(
                        CliHarness.ok(
                                        "skill",
                                        "run",
                                        "py-stats",
                                        "stats",
                                        "--input",
                                        "{\"numbers\":[2,4]}",
                                        "--no-store",
                                        data())
                                .guestOut())
                .isEqualTo("{\"count\":2,\"sum\":6,\"mean\":3.0,\"min\":2,\"max\":4}\n");
        assertThat(
                        CliHarness.ok(
                                        "skill",
                                        "run",
                                        "js-slug",
                                        "--input",
                                        "{\"text\":\"Skills, signed!\",\"separator\":\"_\"}",
                                        "--no-store",
                                        data())
                                .guestOut())
                .isEqualTo("{\"slug\":\"skills_signed\"}\n");
    }

    @Test
    void aJavaScriptSkillCallsTheSkillItDeclaredAndTheTrailVerifies() throws Exception {
        CliHarness.ok("skill", "keys", "create", "airlock-examples", "--trust", data());
        Path slug = example("js-slug");
        CliHarness.ok("skill", "sign", slug.toString(), "--key", "airlock-examples", data());
        CliHarness.ok("skill", "install", slug.toString(), data());
        Path dir = tmp.resolve("titler");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("skill.json"),
                "{\"name\":\"titler\",\"version\":\"1.0.0\",\"description\":\"t\","
                        + "\"publisher\":\"airlock-examples\","
                        + "\"tools\":[{\"name\":\"title\",\"description\":\"t\","
                        + "\"inputSchema\":{\"type\":\"object\"},"
                        + "\"outputSchema\":{\"type\":\"object\"}}],"
                        + "\"entry\":{\"kind\":\"javascript\",\"file\":\"main.js\"},"
                        + "\"capabilities\":{\"skills\":[\"js-slug/slugify\"]}}");
        Files.writeString(
                dir.resolve("main.js"),
                "const r = airlock.call(\"skill:js-slug/slugify\", {text: \"Hello, World\"});\n"
                        + "let denied = \"\";\n"
                        + "try { airlock.call(\"skill:py-stats/stats\", {numbers: []}); }\n"
                        + "catch (e) { denied = e.name; }\n"
                        + "console.log(JSON.stringify({slug: r.slug, denied: denied}));\n");
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "airlock-examples", data());
        CliHarness.ok("skill", "install", dir.toString(), data());
        Path trail = tmp.resolve("trail.jsonl");
        assertThat(
                        CliHarness.ok(
                                        "skill",
                                        "run",
                                        "titler",
                                        "--input",
                                        "{}",
                                        "--audit",
                                        trail.toString(),
                                        data())
                                .guestOut())
                .isEqualTo("{\"slug\":\"hello-world\",\"denied\":\"ToolError\"}\n");
        String records = Files.readString(trail);
        assertThat(records)
                .contains("tool/skill:js-slug/slugify")
                .contains("\"callerSkill\":\"titler\"")
                .contains("\"parentRun\":\"run:");
        assertThat(CliHarness.ok("audit", "verify", trail.toString(), data()).code()).isZero();
        assertThat(CliHarness.ok("audit", "verify", data()).code()).isZero();
        // the call tree of the caller's run, from the store
        String caller = null;
        for (String line : records.split("\n")) {
            if (line.contains("\"step\":\"outcome\"")
                    && line.contains("\"skill\":\"titler\"")
                    && line.contains("\"hostCalls\":")
                    && !line.contains("\"hostCalls\":0,")) {
                caller = line.replaceAll(".*\"run\":\"([^\"]+)\".*", "$1");
            }
        }
        assertThat(caller).isNotNull();
        String shown = CliHarness.ok("audit", "show", "--run", caller, data()).out();
        assertThat(shown)
                .contains("call tree:")
                .containsPattern("(?m)^  " + caller + "  titler/title ok$")
                .containsPattern("(?m)^    [0-9a-f-]{36}  js-slug/slugify ok$");
    }

    @Test
    void skillsInstalledByAnEarlierVersionAreImportedOnce() throws Exception {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = tmp.resolve("demo");
        CliHarness.ok(
                "skill",
                "new",
                "demo",
                "--kind",
                "wasm",
                "--publisher",
                "acme",
                "--dir",
                dir.toString());
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        String verified = CliHarness.ok("skill", "verify", dir.toString(), data()).out();
        String digest = verified.substring(verified.indexOf("digest ") + 7).strip().split("\\s")[0];
        // as earlier versions kept it: its files, and index.json listing them
        Path skills = tmp.resolve("data/skills");
        Path old = skills.resolve("installed/demo/0.1.0");
        Files.createDirectories(old);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.copy(f, old.resolve(f.getFileName()));
            }
        }
        Files.writeString(
                skills.resolve("index.json"),
                "{\"skills\":[{\"name\":\"demo\",\"version\":\"0.1.0\",\"publisher\":\"acme\","
                        + "\"keyId\":\"k\",\"fingerprint\":\"f\",\"digest\":\""
                        + digest
                        + "\",\"kind\":\"wasm\",\"installedAt\":\"2026-01-01T00:00:00Z\"}]}");

        CliHarness.Result list = CliHarness.ok("skill", "list", data());
        assertThat(list.out()).contains("demo", "0.1.0", "acme");
        assertThat(list.err().strip())
                .startsWith("airlock: imported 1 installed skill version(s) from ")
                .doesNotContain("\n");
        assertThat(skills.resolve("index.json.imported")).exists();
        assertThat(CliHarness.ok("skill", "list", data()).err()).isEmpty();
        assertThat(
                        CliHarness.ok("skill", "run", "demo", "--input", "{}", "--no-store", data())
                                .guestOut())
                .isEqualTo("{\"input\":{}}\n");
    }
}
