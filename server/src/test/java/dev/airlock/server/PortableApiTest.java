package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.ModuleSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/executions/portable} without a browser: what it answers for a metered module, an
 * unmetered one, a refused one, and the requests it turns away. {@code IsomorphicBrowserTest} runs
 * its answers in Chromium.
 */
class PortableApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static ServerKit kit;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start();
        key = kit.key("portable");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    private static String wasm(String wat) throws Exception {
        return Base64.getEncoder()
                .encodeToString(ModuleSource.toBinary(wat.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String EMPTY = "(module (func (export \"_start\")))";

    private static HttpResponse<String> portable(String json) throws Exception {
        return kit.post("/v1/executions/portable", key, json);
    }

    @Test
    void aMeteredModuleComesWithItsFuelGlobalExportedAndThePolicy() throws Exception {
        HttpResponse<String> r =
                portable(
                        "{\"language\":\"wasm\",\"module\":\""
                                + wasm(EMPTY)
                                + "\",\"args\":[\"a\"],\"env\":{\"K\":\"v\"},"
                                + "\"limits\":{\"fuel\":1234}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("fuel").get("export").asText()).isEqualTo("airlock:fuel");
        assertThat(j.get("fuel").get("budget").asLong()).isEqualTo(1234);
        assertThat(j.get("fuel").get("hostCall").asLong()).isPositive();
        assertThat(j.get("argv").toString()).isEqualTo("[\"main.wasm\",\"a\"]");
        assertThat(j.get("env").get("K").asText()).isEqualTo("v");
        assertThat(j.get("clock").asText()).isEqualTo("real");
        assertThat(j.get("limits").get("fuel").asLong()).isEqualTo(1234);
        assertThat(j.has("refused")).isFalse();
        byte[] module = Base64.getDecoder().decode(j.get("module").asText());
        assertThat(new String(module, StandardCharsets.ISO_8859_1)).contains("airlock:fuel");
    }

    @Test
    void withoutFuelTheModuleIsSentBackAsItIs() throws Exception {
        String m = wasm(EMPTY);
        HttpResponse<String> r = portable("{\"language\":\"wasm\",\"module\":\"" + m + "\"}");
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("module").asText()).isEqualTo(m);
        assertThat(j.has("fuel")).isFalse();
        assertThat(j.has("files")).isFalse();
    }

    @Test
    void aModuleTheServerWouldRefuseComesBackRefused() throws Exception {
        String m = wasm("(module (import \"env\" \"f\" (func)) (func (export \"_start\")))");
        JsonNode j =
                JSON.readTree(portable("{\"language\":\"wasm\",\"module\":\"" + m + "\"}").body());
        assertThat(j.get("refused").get("kind").asText()).isEqualTo("unknown-import");
        assertThat(j.get("refused").get("message").asText())
                .startsWith("module rejected: import env.f");
        assertThat(j.has("module")).isFalse();
        JsonNode bad =
                JSON.readTree(portable("{\"language\":\"wasm\",\"module\":\"AAAA\"}").body());
        assertThat(bad.get("refused").get("kind").asText()).isEqualTo("malformed");
    }

    @Test
    void pythonAndBadInputAreTurnedAway() throws Exception {
        HttpResponse<String> py = portable("{\"language\":\"python\",\"code\":\"print(1)\"}");
        assertThat(py.statusCode()).isEqualTo(400);
        assertThat(py.body()).contains("python runs on the server only");
        HttpResponse<String> broken = portable("{\"language\":\"wasm\",\"module\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        HttpResponse<String> b64 = portable("{\"language\":\"wasm\",\"module\":\"%%%\"}");
        assertThat(b64.statusCode()).isEqualTo(400);
        assertThat(kit.post("/v1/executions/portable", "wrong-key", "{}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void aJavaScriptSnippetComesWithQuickJsAndItsEnvironment() throws Exception {
        HttpResponse<String> r =
                portable(
                        "{\"language\":\"javascript\",\"code\":\"console.log(1)\","
                                + "\"env\":{\"K\":\"v\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("program").get("language").asText()).isEqualTo("javascript");
        assertThat(j.get("program").get("code").asText()).isEqualTo("console.log(1)");
        assertThat(j.get("program").get("setup").asText())
                .isEqualTo("Object.assign(process.env, {\"K\":\"v\"})");
        byte[] module = Base64.getDecoder().decode(j.get("module").asText());
        assertThat(new String(module, StandardCharsets.ISO_8859_1)).contains("airlock_js");
        assertThat(j.get("sha256").asText())
                .isEqualTo(
                        java.util.HexFormat.of()
                                .formatHex(
                                        java.security.MessageDigest.getInstance("SHA-256")
                                                .digest(module)));
        assertThat(j.has("fuel")).isFalse();
    }
}
