package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A box installed as a skill answers over HTTP ({@code airlock serve} in a child JVM). */
class BoxServeTest {
    @TempDir Path tmp;

    @Test
    void anInstalledBoxAnswersOverHttp() throws Exception {
        Path data = tmp.resolve("data");
        String d = "--data=" + data;
        Path app = BoxCliTest.APPS.resolve("nodeslug");
        Path box = tmp.resolve("slug.box");
        assertThat(CliHarness.run("skill", "keys", "create", "acme", "--trust", d).code()).isZero();
        CliHarness.Result b =
                CliHarness.run(
                        "box",
                        "build",
                        app.resolve("app").toString(),
                        "-o",
                        box.toString(),
                        "--packages",
                        app.resolve("packages").toString(),
                        "--key",
                        "acme",
                        d);
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(CliHarness.run("skill", "install", box.toString(), d).code()).isZero();
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
                                                    base.resolve("/v1/skills/slug/tools/run"))
                                            .header("Authorization", "Bearer " + key)
                                            .header("Content-Type", "application/json")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofString(
                                                            "{\"args\": [\"node\", \"index.js\", \"Crème Brûlée\", \"for EVERYONE\"]}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode result = new ObjectMapper().readTree(r.body()).path("result");
            assertThat(result.path("exitCode").asInt(-1)).as(r.body()).isZero();
            assertThat(result.path("stdout").asText())
                    .isEqualTo(Files.readString(app.resolve("expected.txt")));
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }
}
