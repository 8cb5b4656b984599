package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try (ChildServer server = ChildServer.start(data)) {
            HttpResponse<String> r =
                    server.postJson(
                            "/v1/skills/slug/tools/run",
                            "{\"args\": [\"node\", \"index.js\", \"Crème Brûlée\", \"for EVERYONE\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode result = new ObjectMapper().readTree(r.body()).path("result");
            assertThat(result.path("exitCode").asInt(-1)).as(r.body()).isZero();
            assertThat(result.path("stdout").asText())
                    .isEqualTo(Files.readString(app.resolve("expected.txt")));
            server.stop();
        }
    }
}
