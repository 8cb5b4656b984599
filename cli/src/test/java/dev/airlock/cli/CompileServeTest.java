package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Stdio;
import dev.airlock.nn.onnx.Models;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

        String key = "bootstrap-key-for-tests-0123456789";
        ProcessBuilder pb =
                new ProcessBuilder(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "dev.airlock.cli.Main",
                                "serve",
                                "--port",
                                "0",
                                "--data",
                                data.toString()));
        pb.environment().put("AIRLOCK_BOOTSTRAP_KEY", key);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            BufferedReader err =
                    new BufferedReader(
                            new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            URI base = null;
            Pattern serving = Pattern.compile("serving on (http://\\S+)");
            String line;
            while ((line = err.readLine()) != null) {
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    base = URI.create(m.group(1));
                    break;
                }
            }
            assertThat(base).as("the server announced its address").isNotNull();
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    base.resolve(
                                                            "/v1/skills/classifier/tools/predict"))
                                            .header("Authorization", "Bearer " + key)
                                            .header("Content-Type", "application/json")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofString(
                                                            "{\"features\": [[0.2, 0.4, 0.9, 1]]}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
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
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }
}
