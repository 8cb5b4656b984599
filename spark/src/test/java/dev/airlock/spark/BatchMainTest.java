package dev.airlock.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock batch --spark local[2]}: a JSON Lines file in, its results out in input order. */
class BatchMainTest {
    @TempDir Path tmp;

    @Test
    void linesRunOnSparkAndComeBackInOrder() throws Exception {
        Path in = tmp.resolve("in.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(
                    "{\"id\": "
                            + i
                            + ", \"language\": \"javascript\", \"code\": \"console.log("
                            + i
                            + " * 3)\"}");
        }
        lines.add(
                "{\"id\": \"t\", \"language\": \"python\", \"code\": \"x = 1\","
                        + " \"tests\": \"assert x == 2\"}");
        lines.add("");
        lines.add("not JSON");
        lines.add(
                "{\"id\": [1], \"code\": \"while True: pass\", \"limits\": {\"timeoutMs\": 1000}}");
        lines.add("{\"id\": 5, \"code\": 5}");
        lines.add(
                "{\"id\": 6, \"code\": \"print(open('/workspace/a.txt').read());"
                        + " open('/workspace/b.bin', 'wb').write(open('/workspace/c.bin', 'rb').read())\","
                        + " \"files\": {\"/workspace/a.txt\": \"from a file\","
                        + " \"/workspace/c.bin\": {\"base64\": \"AP8=\"}}}");
        String hello =
                java.util.Base64.getEncoder()
                        .encodeToString(Files.readAllBytes(Path.of("../examples/hello.wasm")));
        lines.add(
                "{\"id\": 7, \"language\": \"wasm\", \"module\": \""
                        + hello
                        + "\", \"args\": [\"x\"]}");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path out = tmp.resolve("out.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                BatchMain.run(
                        new String[] {"--spark", "local[2]", in.toString(), "-o", out.toString()},
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("26 rows");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> got = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            got.add(json.readTree(l));
        }
        assertThat(got).hasSize(26);
        for (int i = 0; i < 20; i++) {
            assertThat(got.get(i).get("id").asInt()).isEqualTo(i);
            assertThat(got.get(i).get("line").asLong()).isEqualTo(i + 1);
            assertThat(got.get(i).get("stdout").asText()).isEqualTo(i * 3 + "\n");
        }
        assertThat(got.get(20).get("passed").asBoolean()).isFalse();
        assertThat(got.get(20).get("stderr").asText()).contains("AssertionError");
        assertThat(got.get(21).get("line").asLong()).isEqualTo(23);
        assertThat(got.get(21).get("message").asText()).isEqualTo("not JSON");
        assertThat(got.get(22).get("id").get(0).asInt()).isEqualTo(1);
        assertThat(got.get(22).get("status").asText()).isEqualTo("limit");
        assertThat(got.get(23).get("status").asText()).isEqualTo("rejected");
        assertThat(got.get(23).get("message").asText()).isEqualTo("code must be a string");
        assertThat(got.get(24).get("stdout").asText()).isEqualTo("from a file\n");
        // bytes in and out as the HTTP API has them: {"base64": ...}
        assertThat(got.get(24).get("files").get("/workspace/b.bin").get("base64").asText())
                .isEqualTo("AP8=");
        assertThat(got.get(25).get("stdout").asText())
                .isEqualTo("Hello from inside Airlock! Arguments:\nx\n");
    }

    @Test
    void rowsImportThePackageFoldersTheyName() throws Exception {
        Path pkgs = tmp.resolve("pkgs");
        Files.createDirectories(pkgs.resolve("greet"));
        Files.writeString(
                pkgs.resolve("greet").resolve("__init__.py"),
                "def hello():\n    return 'hello from a package'\n");
        Path in = tmp.resolve("pk.jsonl");
        Files.write(
                in,
                List.of(
                        "{\"id\": 1, \"code\": \"import greet; print(greet.hello())\","
                                + " \"packages\": [\"mine\"]}",
                        "{\"id\": 2, \"code\": \"import greet\"}",
                        "{\"id\": 3, \"code\": \"print(1)\", \"packages\": [\"theirs\"]}",
                        "{\"id\": 4, \"language\": \"javascript\", \"code\": \"1\","
                                + " \"packages\": [\"mine\"]}",
                        "{\"id\": 5, \"code\": \"1\", \"packages\": \"mine\"}"),
                StandardCharsets.UTF_8);
        Path out = tmp.resolve("pk-out.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                BatchMain.run(
                        new String[] {
                            "--spark",
                            "local[1]",
                            "--packages",
                            "mine=" + pkgs,
                            in.toString(),
                            "-o",
                            out.toString()
                        },
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> got = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            got.add(json.readTree(l));
        }
        assertThat(got.get(0).get("stdout").asText()).isEqualTo("hello from a package\n");
        // not named: not there
        assertThat(got.get(1).get("stderr").asText()).contains("ModuleNotFoundError");
        assertThat(got.get(2).get("status").asText()).isEqualTo("rejected");
        assertThat(got.get(2).get("message").asText())
                .endsWith("packages: no package folder named 'theirs' (there are: mine)");
        assertThat(got.get(3).get("message").asText()).endsWith("packages are for python only");
        assertThat(got.get(4).get("message").asText())
                .isEqualTo("packages must be an array of strings");
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        assertThat(
                        BatchMain.run(
                                new String[] {
                                    "--packages",
                                    "x=" + tmp.resolve("none"),
                                    in.toString(),
                                    "-o",
                                    out.toString()
                                },
                                new PrintStream(bad, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(bad.toString(StandardCharsets.UTF_8)).contains("--packages: not a folder");
    }

    @Test
    void aMissingInputIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(BatchMain.run(new String[] {"--spark", "local[1]", "in.jsonl"}, p)).isEqualTo(2);
        assertThat(
                        BatchMain.run(
                                new String[] {
                                    tmp.resolve("nope.jsonl").toString(), "-o", "x.jsonl"
                                },
                                p))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read");
    }
}
