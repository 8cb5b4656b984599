package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code airlock batch}: every line comes back, in input order, with its id; bad lines are rejected
 * without stopping the batch; hostile ones end at their limits; runs are recorded.
 */
class BatchCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    List<JsonNode> lines(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    @Test
    void everyLineComesBackInOrderWithItsId() throws Exception {
        Path input = tmp.resolve("programs.jsonl");
        List<String> in = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            in.add(
                    i % 2 == 0
                            ? "{\"id\": "
                                    + i
                                    + ", \"language\": \"python\", \"code\": \"print("
                                    + i
                                    + " ** 2)\"}"
                            : "{\"id\": \"js-"
                                    + i
                                    + "\", \"language\": \"javascript\", \"code\":"
                                    + " \"console.log("
                                    + i
                                    + " + 1)\"}");
        }
        in.add(
                "{\"id\": {\"task\": 7}, \"language\": \"python\", \"code\": \"print(input()[::-1])\","
                        + " \"stdin\": \"olleh\"}");
        in.add("");
        in.add("this is not JSON");
        in.add(
                "{\"id\": 99, \"language\": \"python\", \"code\": \"print(1)\", \"colour\": \"red\"}");
        in.add("[1, 2]");
        in.add(
                "{\"id\": 100, \"language\": \"python\", \"code\": \"while True: pass\","
                        + " \"limits\": {\"timeoutMs\": 1000}}");
        in.add("{\"id\": 101, \"language\": \"python\", \"code\": \"import sys; sys.exit(4)\"}");
        Files.write(input, in, StandardCharsets.UTF_8);
        Path output = tmp.resolve("results.jsonl");
        CliHarness.Result r =
                CliHarness.run(
                        "batch",
                        "--data=" + tmp.resolve("data"),
                        "--workers=2",
                        input.toString(),
                        "-o",
                        output.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("airlock: batch: 18 rows")
                .contains("ok 13")
                .contains("rejected 3")
                .contains("limit 1")
                .contains("exit 1")
                .doesNotContain("Exception", "dev.airlock");
        List<JsonNode> out = lines(Files.readString(output));
        assertThat(out).hasSize(18);
        for (int i = 0; i < 12; i++) {
            JsonNode o = out.get(i);
            assertThat(o.get("line").asLong()).isEqualTo(i + 1);
            assertThat(o.get("status").asText()).as(o.toString()).isEqualTo("ok");
            if (i % 2 == 0) {
                assertThat(o.get("id").asInt()).isEqualTo(i);
                assertThat(o.get("stdout").asText()).isEqualTo(i * i + "\n");
            } else {
                assertThat(o.get("id").asText()).isEqualTo("js-" + i);
                assertThat(o.get("stdout").asText()).isEqualTo(i + 1 + "\n");
            }
            assertThat(o.get("runId").asText()).isNotEmpty();
        }
        assertThat(out.get(12).get("id").get("task").asInt()).isEqualTo(7);
        assertThat(out.get(12).get("stdout").asText()).isEqualTo("hello\n");
        // line 14 is blank: skipped, but the numbers stay the file's
        assertThat(out.get(13).get("line").asLong()).isEqualTo(15);
        assertThat(out.get(13).get("status").asText()).isEqualTo("rejected");
        assertThat(out.get(13).get("message").asText()).isEqualTo("not JSON");
        assertThat(out.get(14).get("id").asInt()).isEqualTo(99);
        assertThat(out.get(14).get("kind").asText()).isEqualTo("input");
        assertThat(out.get(14).get("message").asText()).contains("colour");
        assertThat(out.get(15).get("message").asText()).contains("JSON object");
        assertThat(out.get(16).get("id").asInt()).isEqualTo(100);
        assertThat(out.get(16).get("status").asText()).isEqualTo("limit");
        assertThat(out.get(16).get("kind").asText()).isEqualTo("time");
        assertThat(out.get(17).get("exitCode").asInt()).isEqualTo(4);
        for (JsonNode o : out) {
            assertThat(o.toString()).doesNotContain("Exception", "dev.airlock", "java.");
        }
        // the runs are recorded in the data folder's store, as tenant batch
        try (Store store = Store.open(tmp.resolve("data"))) {
            String runId = out.get(0).get("runId").asText();
            assertThat(store.run("batch", runId)).isPresent();
        }
    }

    @Test
    void linesWithTestsGetAVerdict() throws Exception {
        Path input = tmp.resolve("graded.jsonl");
        String add = "def add(a, b):\\n    return a + b";
        String wrong = "def add(a, b):\\n    return a - b";
        String check = "assert add(2, 3) == 5";
        Files.write(
                input,
                List.of(
                        "{\"id\": 1, \"language\": \"python\", \"code\": \""
                                + add
                                + "\", \"tests\": \""
                                + check
                                + "\"}",
                        "{\"id\": 2, \"language\": \"python\", \"code\": \""
                                + wrong
                                + "\", \"tests\": \""
                                + check
                                + "\"}",
                        "{\"id\": 3, \"language\": \"python\", \"code\": \"" + add + "\"}",
                        "{\"id\": 4, \"language\": \"python\", \"code\": \""
                                + add
                                + "\", \"tests\": 5}"),
                StandardCharsets.UTF_8);
        CliHarness.Result r =
                CliHarness.run("batch", "--data=" + tmp.resolve("data"), input.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> out = lines(r.out());
        assertThat(out.get(0).get("passed").asBoolean()).as(out.get(0).toString()).isTrue();
        assertThat(out.get(1).get("passed").asBoolean()).isFalse();
        assertThat(out.get(1).get("stderr").asText()).contains("AssertionError");
        assertThat(out.get(2).has("passed")).isFalse();
        assertThat(out.get(3).get("status").asText()).isEqualTo("rejected");
        assertThat(out.get(3).get("message").asText()).isEqualTo("tests must be a string of code");
    }

    @Test
    void resultsGoToStandardOutputByDefault() throws Exception {
        Path input = tmp.resolve("one.jsonl");
        Files.writeString(
                input,
                "{\"id\": 1, \"language\": \"javascript\", \"code\": \"console.log(42)\"}\n");
        CliHarness.Result r =
                CliHarness.run("batch", "--data=" + tmp.resolve("data"), input.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> out = lines(r.out());
        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("stdout").asText()).isEqualTo("42\n");
        assertThat(r.err()).contains("1 row").contains("-> standard output");
    }

    @Test
    void aMissingInputOrBadWorkersIsAUsageError() {
        CliHarness.Result missing =
                CliHarness.run(
                        "batch",
                        "--data=" + tmp.resolve("data"),
                        tmp.resolve("nope.jsonl").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("airlock: cannot read ").contains("no such file");
        CliHarness.Result workers =
                CliHarness.run("batch", "--workers=0", tmp.resolve("nope.jsonl").toString());
        assertThat(workers.code()).isEqualTo(2);
        assertThat(workers.err()).contains("--workers must be between 1 and 256");
        CliHarness.Result spark =
                CliHarness.run("batch", "--spark", "local[2]", tmp.resolve("in.jsonl").toString());
        assertThat(spark.code()).isEqualTo(2);
        assertThat(spark.err()).contains("--spark runs through the ./airlock launcher");
    }
}
