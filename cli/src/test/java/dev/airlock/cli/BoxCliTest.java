package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock box build|run}: five small apps (test resources {@code box/}) built from their
 * Dockerfiles give the output they give natively (checked in as {@code expected.txt}, and compared
 * with a native run where python3 or node is installed); refused Dockerfiles and hostile build
 * contexts get one line naming the problem.
 */
class BoxCliTest {
    @TempDir Path tmp;

    static final Path APPS = Path.of("src/test/resources/box");

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    @BeforeEach
    void key() {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
    }

    Path build(Path dir, String name, String... extra) {
        Path out = tmp.resolve(name + ".box");
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "box",
                                "build",
                                dir.toString(),
                                "-o",
                                out.toString(),
                                "--key",
                                "acme",
                                data()));
        a.addAll(List.of(extra));
        CliHarness.ok(a.toArray(new String[0]));
        return out;
    }

    /** {@code box run [OPTION] BOX ARGS...}: {@code option} (or null) goes before the box. */
    CliHarness.Result run(String option, Path box, String... args) {
        List<String> a = new ArrayList<>(List.of("box", "run", data()));
        if (option != null) {
            a.add(option);
        }
        a.add(box.toString());
        a.addAll(List.of(args));
        return CliHarness.run(a.toArray(new String[0]));
    }

    static String expected(String app) throws IOException {
        return Files.readString(APPS.resolve(app).resolve("expected.txt"));
    }

    /** The output of a native command in {@code dir}, or null when its program is not installed. */
    static String natively(Path dir, Path stdin, String env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        if (env != null) {
            for (String kv : env.split(";")) {
                pb.environment()
                        .put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        pb.redirectInput(
                stdin == null
                        ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null; // not installed here: the checked-in expected output still applies
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void aCliToolRunsAsNativelyWithAVersionWarning() throws Exception {
        Path app = APPS.resolve("wordcount");
        CliHarness.Result b =
                CliHarness.run(
                        "box",
                        "build",
                        app.toString(),
                        "-o",
                        tmp.resolve("wordcount.box").toString(),
                        "--key",
                        "acme",
                        data());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err())
                .contains(
                        "Dockerfile:3: FROM python:3.12-slim asks for Python 3.12; the box runs Python 3.13");
        assertThat(b.out()).contains("warm imports: argparse, collections, re, sys");
        Path box = tmp.resolve("wordcount.box");
        CliHarness.Result r = run(null, box);
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        assertThat(r.guestOut()).isEqualTo(expected("wordcount"));
        String nat =
                natively(
                        app,
                        null,
                        null,
                        "python3",
                        "wc.py",
                        "--top",
                        "2",
                        "the cat and the hat and the bat");
        if (nat != null) {
            assertThat(nat).isEqualTo(expected("wordcount"));
        }
        // arguments replace CMD, as with docker run; a second run starts from the kept image
        CliHarness.Result r2 = run(null, box, "--top", "1", "b a b");
        assertThat(r2.guestOut()).isEqualTo("words: 3\ndistinct: 2\n  2 b\n");
        CliHarness.Result bad = run(null, box, "--top", "x", "y");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.guestErr()).contains("usage: wc.py").contains("invalid int value: 'x'");
    }

    @Test
    void aJsonTransformerReadsStdinAndTheImagesEnv() throws Exception {
        Path app = APPS.resolve("jsontransform");
        CliHarness.Result b =
                CliHarness.run(
                        "box",
                        "build",
                        app.toString(),
                        "-o",
                        tmp.resolve("jt.box").toString(),
                        "--key",
                        "acme",
                        data());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err())
                .contains("Dockerfile:7: USER nobody recorded")
                .contains("Dockerfile:8: EXPOSE 8080 noted: inbound network is not supported");
        assertThat(b.err()).doesNotContain("asks for Python");
        CliHarness.Result r = run("--stdin=" + app.resolve("input.json"), tmp.resolve("jt.box"));
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        assertThat(r.guestOut()).isEqualTo(expected("jsontransform"));
        String nat =
                natively(
                        app,
                        app.resolve("input.json"),
                        "MIN_SCORE=50;SOURCE=test data",
                        "python3",
                        "transform.py");
        if (nat != null) {
            assertThat(nat).isEqualTo(expected("jsontransform"));
        }
    }

    @Test
    void aNodeScriptWithAPureJavaScriptDependency() throws Exception {
        Path app = APPS.resolve("nodeslug");
        CliHarness.Result b =
                CliHarness.run(
                        "box",
                        "build",
                        app.resolve("app").toString(),
                        "-o",
                        tmp.resolve("slug.box").toString(),
                        "--packages",
                        app.resolve("packages").toString(),
                        "--key",
                        "acme",
                        data());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).contains("not Node 20");
        CliHarness.Result r = run(null, tmp.resolve("slug.box"));
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        assertThat(r.guestOut()).isEqualTo(expected("nodeslug"));
        Path nativeDir = tmp.resolve("native");
        Files.createDirectories(nativeDir.resolve("node_modules/tinycase/lib"));
        for (String f : List.of("index.js", "package.json")) {
            Files.copy(app.resolve("app").resolve(f), nativeDir.resolve(f));
        }
        for (String f : List.of("package.json", "lib/index.js", "lib/words.js")) {
            Files.copy(
                    app.resolve("packages/tinycase").resolve(f),
                    nativeDir.resolve("node_modules/tinycase").resolve(f));
        }
        String nat =
                natively(nativeDir, null, null, "node", "index.js", "Crème Brûlée", "for EVERYONE");
        if (nat != null) {
            assertThat(nat).isEqualTo(expected("nodeslug"));
        }
        // without --packages there is nothing to install from
        CliHarness.Result none =
                CliHarness.run(
                        "box",
                        "build",
                        app.resolve("app").toString(),
                        "-o",
                        tmp.resolve("x.box").toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err().strip())
                .isEqualTo(
                        "airlock: Dockerfile:4: RUN: RUN npm install needs --packages DIR (no network at build time)");
    }

    @Test
    void aPythonPackageWithMainAndAPurePackage() throws Exception {
        Path app = APPS.resolve("pymain");
        build(app.resolve("app"), "greet", "--packages", app.resolve("packages").toString());
        CliHarness.Result r = run(null, tmp.resolve("greet.box"));
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        assertThat(r.guestOut()).isEqualTo(expected("pymain"));
        String nat =
                natively(
                        app.resolve("app"),
                        null,
                        "PYTHONPATH=../packages",
                        "python3",
                        "-m",
                        "greet",
                        "Ada",
                        "Grace");
        if (nat != null) {
            assertThat(nat).isEqualTo(expected("pymain"));
        }
    }

    @Test
    void aBoxIsASkillAndIsVerifiedBeforeItRuns() throws Exception {
        Path app = APPS.resolve("pymain");
        Path box =
                build(
                        app.resolve("app"),
                        "greet",
                        "--packages",
                        app.resolve("packages").toString());
        // installed as a skill, its tool "run" is what HTTP and MCP serve
        CliHarness.ok("skill", "install", box.toString(), data());
        CliHarness.Result r =
                CliHarness.ok(
                        "skill",
                        "run",
                        "greet",
                        "run",
                        "--input",
                        "{\"args\": [\"--shout\", \"Bo\"]}",
                        data());
        assertThat(r.guestOut())
                .contains("\"exitCode\":0")
                .contains("HELLO, BO!")
                .contains("run as __main__ from package greet");
        // unsigned and tampered boxes are refused before anything runs
        Path unsigned = tmp.resolve("u.box");
        CliHarness.ok(
                "box",
                "build",
                app.resolve("app").toString(),
                "-o",
                unsigned.toString(),
                "--packages",
                app.resolve("packages").toString());
        CliHarness.Result u = run(null, unsigned);
        assertThat(u.code()).isEqualTo(126);
        assertThat(u.err()).startsWith("airlock: unsigned");
        Path tampered = tmp.resolve("t.box");
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(box));
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered))) {
            java.util.zip.ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals("rootfs/opt/greet/greet/core.py")) {
                    b =
                            (new String(b, StandardCharsets.UTF_8) + "\nimport os\n")
                                    .getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(b);
            }
        }
        CliHarness.Result t = run(null, tampered);
        assertThat(t.code()).isEqualTo(126);
        assertThat(t.err()).contains("tampered").contains("core.py");
        assertThat(t.guestOut()).isEmpty();
    }

    @Test
    void nodeBuiltInModulesAreMissingWithAClearError() throws Exception {
        Path ctx = tmp.resolve("fsapp");
        Files.createDirectories(ctx);
        Files.writeString(
                ctx.resolve("app.js"),
                "console.log('before');\nconst cp = require('node:child_process');\nconsole.log('after');\n");
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM node:22-alpine\nWORKDIR /app\nCOPY app.js .\nCMD [\"node\", \"app.js\"]\n");
        CliHarness.Result b =
                CliHarness.run(
                        "box",
                        "build",
                        ctx.toString(),
                        "-o",
                        tmp.resolve("fs.box").toString(),
                        "--key",
                        "acme",
                        data());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).contains("/app/app.js requires Node's built-in 'child_process'");
        CliHarness.Result r = run(null, tmp.resolve("fs.box"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.guestOut()).isEqualTo("before\n");
        assertThat(r.guestErr())
                .contains(
                        "Cannot find module 'node:child_process' (Node's built-in modules are not available in Airlock's JavaScript interpreter)");
    }

    @Test
    void aBoxAsASkillSeesItsFilesWhereTheDockerfilePutThem() throws Exception {
        Path ctx = tmp.resolve("paths");
        Files.createDirectories(ctx);
        Files.writeString(ctx.resolve("data.txt"), "kept at /app\n");
        Files.writeString(
                ctx.resolve("main.py"),
                "import os, sys\n"
                        + "print(open('/app/data.txt').read().strip(), os.getcwd(), sys.argv[1:])\n");
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM python:3.13-slim\nWORKDIR /app\nCOPY . /app\n"
                        + "ENTRYPOINT [\"python\", \"main.py\"]\n");
        Path box = build(ctx, "paths");
        String direct = run(null, box, "x").guestOut();
        assertThat(direct).isEqualTo("kept at /app /app ['x']\n");
        CliHarness.ok("skill", "install", box.toString(), data());
        CliHarness.Result r =
                CliHarness.ok(
                        "skill", "run", "paths", "run", "--input", "{\"args\": [\"x\"]}", data());
        com.fasterxml.jackson.databind.JsonNode out =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.guestOut());
        // the same program, the same paths and the same output as box run
        assertThat(out.path("exitCode").asInt(-1)).as(r.guestOut()).isZero();
        assertThat(out.path("stdout").asText()).isEqualTo(direct);
    }

    @Test
    void aWasiBoxRunsAsASkill() throws Exception {
        Path ctx = tmp.resolve("wasi-skill");
        Files.createDirectories(ctx);
        Files.copy(Path.of("../examples/hello.wasm"), ctx.resolve("hello.wasm"));
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch\nCOPY hello.wasm /bin/\nENTRYPOINT [\"/bin/hello.wasm\"]\n");
        Path box = build(ctx, "hellobox");
        CliHarness.ok("skill", "install", box.toString(), data());
        CliHarness.Result r =
                CliHarness.ok(
                        "skill",
                        "run",
                        "hellobox",
                        "run",
                        "--input",
                        "{\"args\": [\"a\", \"b\"]}",
                        data());
        com.fasterxml.jackson.databind.JsonNode out =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.guestOut());
        assertThat(out.path("exitCode").asInt(-1)).as(r.guestOut()).isZero();
        assertThat(out.path("stdout").asText())
                .isEqualTo("Hello from inside Airlock! Arguments:\na\nb\n");
    }

    @Test
    void aWasiModuleFromScratch() throws Exception {
        Path ctx = tmp.resolve("wasi");
        Files.createDirectories(ctx);
        Files.copy(Path.of("../examples/hello.wasm"), ctx.resolve("hello.wasm"));
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch\nCOPY hello.wasm /bin/\nENTRYPOINT [\"/bin/hello.wasm\"]\nCMD [\"one\"]\n");
        Path box = build(ctx, "hello");
        Path trail = tmp.resolve("trail.jsonl");
        CliHarness.Result r = run("--audit=" + trail, box, "two", "--three");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.guestOut()).isEqualTo("Hello from inside Airlock! Arguments:\ntwo\n--three\n");
        // the run is recorded like any other: its trail verifies and ends with its outcome
        assertThat(Files.readString(trail)).contains("\"outcome\"").contains("fd_write");
        assertThat(CliHarness.run("audit", "verify", trail.toString(), data()).code()).isZero();
    }

    @Test
    void aDockerfileThatInstallsSystemPackagesIsRefusedWithItsLine() {
        CliHarness.Result r =
                CliHarness.run(
                        "box",
                        "build",
                        APPS.resolve("refused").toString(),
                        "-o",
                        tmp.resolve("r.box").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo(
                        "airlock: Dockerfile:4: RUN apt-get update && apt-get install -y --no-install-rec... is not supported (only pip install and npm install of pure packages from --packages)");
        assertThat(tmp.resolve("r.box")).doesNotExist();
    }
}
