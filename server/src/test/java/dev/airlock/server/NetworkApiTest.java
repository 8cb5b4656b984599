package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.core.net.Egress;
import dev.airlock.egress.ApacheTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** allowNet in execution and session requests, within the server's own network rules. */
class NetworkApiTest {
    static HttpServer upstream;
    static ServerKit kit;
    static String key;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext(
                "/",
                x -> {
                    byte[] out = "{\"v\": 7}".getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(200, out.length);
                    x.getResponseBody().write(out);
                    x.close();
                });
        upstream.start();
        base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        kit =
                ServerKit.start(
                        b ->
                                b.network(
                                        Egress.builder()
                                                .allow(base + "/api/")
                                                .transport(new ApacheTransport())
                                                .build()));
        key = kit.key("acme");
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
        upstream.stop(0);
    }

    private static String python(String url, String rules) {
        String code =
                "import json, urllib.request, urllib.error\\n"
                        + "try:\\n"
                        + "    print(json.load(urllib.request.urlopen('"
                        + url
                        + "'))['v'])\\n"
                        + "except urllib.error.URLError as e:\\n"
                        + "    print(e.reason)";
        return "{\"language\":\"python\",\"code\":\"" + code + "\"" + rules + "}";
    }

    @Test
    void anExecutionReachesWhatItsRulesAllow() throws Exception {
        HttpResponse<String> r =
                kit.post(
                        "/v1/executions",
                        key,
                        python(base + "/api/x", ",\"allowNet\":[\"GET " + base + "/api/\"]"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("stdout").asText()).isEqualTo("7\n");
    }

    @Test
    void withoutAllowNetThereIsNoNetwork() throws Exception {
        JsonNode j = json(kit.post("/v1/executions", key, python(base + "/api/x", "")));
        assertThat(j.get("stdout").asText())
                .isEqualTo("network request denied (net.none): no network is granted\n");
    }

    @Test
    void rulesOutsideTheServersAreRefused() throws Exception {
        for (String rule :
                new String[] {base + "/", "http://169.254.169.254/", "https://*.example.com/"}) {
            HttpResponse<String> r =
                    kit.post(
                            "/v1/executions",
                            key,
                            python(base + "/x", ",\"allowNet\":[\"" + rule + "\"]"));
            assertThat(r.statusCode()).as(rule).isEqualTo(400);
            assertThat(r.body()).contains("is not within this server's network rules");
        }
        HttpResponse<String> bad =
                kit.post(
                        "/v1/sessions",
                        key,
                        "{\"language\":\"python\",\"allowNet\":[\"ftp://x/\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("allowNet: invalid network rule 'ftp://x/'");
    }
}
