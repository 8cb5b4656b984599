package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Stdio;
import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A compiled skill served over HTTP by {@code airlock serve} (a child JVM) gives ORT's outputs. */
class CompileServeTest {
    @TempDir Path tmp;

    int cli(String... args) {
        StringWriter sink = new StringWriter();
        return Main.commandLine(
                        new PrintWriter(sink),
                        new PrintWriter(sink),
                        Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .execute(args);
    }

    @Test
    void compiledSkillAnswersOverHttp() throws Exception {
        Path data = tmp.resolve("data");
        String d = "--data=" + data;
        Path model = tmp.resolve("classifier.onnx");
        Files.write(model, Models.classifier());
        Path skill = tmp.resolve("c.skill");
        assertThat(cli("skill", "keys", "create", "acme", "--trust", d)).isZero();
        assertThat(
                        cli(
                                "compile",
                                model.toString(),
                                "--secure",
                                "--key",
                                "acme",
                                "-o",
                                skill.toString(),
                                d))
                .isZero();
        assertThat(cli("skill", "install", skill.toString(), d)).isZero();

        try (ChildServer server = ChildServer.start(data)) {
            HttpResponse<String> r =
                    server.postJson(
                            "/v1/skills/classifier/tools/predict",
                            "{\"features\": [[0.2, 0.4, 0.9, 1]]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode scores = new ObjectMapper().readTree(r.body()).findValue("scores");
            assertThat(scores).as(r.body()).isNotNull();
            Map<String, Object> want =
                    CompileCliTest.direct(
                            Models.classifier(),
                            "features",
                            new float[] {0.2f, 0.4f, 0.9f, 1f},
                            new long[] {1, 4});
            assertThat(CompileCliTest.floats(scores)).isEqualTo((float[]) want.get("scores"));
            server.stop();
        }
    }
}
