package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static dev.airlock.server.ServerKit.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package folders the operator offers ({@code airlock serve --packages NAME=DIR}): Python
 * executions and sessions that name them import from them, read-only; other names and languages are
 * refused.
 */
class PackagesApiTest {
    static Path site;
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        site = Files.createTempDirectory("airlock-site");
        Files.createDirectories(site.resolve("tinylib"));
        Files.writeString(
                site.resolve("tinylib/__init__.py"), "def double(x):\n    return 2 * x\n");
        kit = ServerKit.start(b -> b.packages("tiny", site));
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @Test
    void anExecutionThatNamesAPackageFolderImportsFromIt() throws Exception {
        String code =
                "import tinylib\nprint(tinylib.double(21))\n"
                        + "try:\n    open('/packages/tiny/tinylib/x.py', 'w')\n"
                        + "except OSError:\n    print('read-only')\n";
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"python\",\"code\":"
                                        + str(code)
                                        + ",\"packages\":[\"tiny\"]}"));
        assertThat(j.get("stdout").asText()).as(j.toString()).isEqualTo("42\nread-only\n");
        assertThat(Files.exists(site.resolve("tinylib/x.py"))).isFalse();
    }

    @Test
    void withoutNamingItTheFolderIsNotThere() throws Exception {
        JsonNode j =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"python\",\"code\":"
                                        + str(
                                                "import os\nprint(os.path.exists('/packages/tiny'))\nimport tinylib")
                                        + "}"));
        assertThat(j.get("stdout").asText()).isEqualTo("False\n");
        assertThat(j.get("stderr").asText()).contains("No module named 'tinylib'");
    }

    @Test
    void aSessionThatNamesAPackageFolderImportsFromIt() throws Exception {
        JsonNode s =
                json(
                        kit.post(
                                "/v1/sessions",
                                key,
                                "{\"language\":\"python\",\"packages\":[\"tiny\"]}"));
        String id = s.get("id").asText();
        JsonNode j =
                json(
                        kit.post(
                                "/v1/sessions/" + id + "/executions",
                                key,
                                "{\"code\":"
                                        + str("import tinylib; print(tinylib.double(4))")
                                        + "}"));
        assertThat(j.get("stdout").asText()).as(j.toString()).isEqualTo("8\n");
    }

    @Test
    void unknownNamesOtherLanguagesAndHostPathsAreRefused() throws Exception {
        for (String body :
                new String[] {
                    "{\"language\":\"python\",\"code\":\"1\",\"packages\":[\"nope\"]}",
                    "{\"language\":\"python\",\"code\":\"1\",\"packages\":[\"/etc\"]}",
                    "{\"language\":\"python\",\"code\":\"1\",\"packages\":[\"tiny\",\"tiny\"]}",
                    "{\"language\":\"python\",\"code\":\"1\",\"packages\":[null]}",
                    "{\"language\":\"javascript\",\"code\":\"1\",\"packages\":[\"tiny\"]}",
                    "{\"language\":\"python\",\"code\":\"1\",\"packages\":\"tiny\"}"
                }) {
            HttpResponse<String> r = kit.post("/v1/executions", key, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).doesNotContain("Exception").doesNotContain(site.toString());
        }
        HttpResponse<String> r =
                kit.post("/v1/sessions", key, "{\"language\":\"python\",\"packages\":[\"other\"]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("'other'").contains("tiny");
    }

    @Test
    void theOperatorsNamesAndFoldersAreChecked() {
        assertThatThrownBy(() -> ServerConfig.builder().packages("a/b", site))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.builder().packages("x", site.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.builder().packages("x", site).packages("x", site))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
