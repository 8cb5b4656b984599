package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.core.net.Egress;
import dev.airlock.egress.ApacheTransport;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
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
        Registry registry = Registry.open(kit.data);
        publisher = AuditKeys.create(registry.keysDir(), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(publisher.publicKey()));
        try (Store store = Store.open(kit.data)) {
            store.tenants().ensure("ops");
            admin = store.apiKeys().create("ops", true, "admin").secret();
        }
    }

    static AuditKeys publisher;
    static String admin;

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

    private static final String FETCH =
            "import json, sys, urllib.request, urllib.error\n"
                    + "out = {}\n"
                    + "for k, u in json.load(sys.stdin).items():\n"
                    + "    try:\n"
                    + "        out[k] = urllib.request.urlopen(u).read().decode()\n"
                    + "    except urllib.error.URLError as e:\n"
                    + "        out[k] = 'refused: ' + str(e.reason)\n"
                    + "print(json.dumps(out))\n";

    private static void install(String name, String net) throws Exception {
        HttpResponse<byte[]> r =
                SkillTestFiles.upload(
                        kit,
                        admin,
                        SkillTestFiles.archive(
                                Signatures.sign(
                                        SkillTestFiles.python(
                                                kit.data, name, FETCH, "{\"net\":" + net + "}"),
                                        publisher)),
                        "");
        assertThat(r.statusCode()).as(SkillTestFiles.text(r)).isEqualTo(201);
    }

    @Test
    void aSkillReachesWhatBothItsManifestAndTheServerAllow() throws Exception {
        install("fetch-api", "[\"GET " + base + "/api/v1/\"]");
        install("fetch-root", "[\"" + base + "/\"]");
        String input =
                "{\"v1\":\""
                        + base
                        + "/api/v1/x\",\"v2\":\""
                        + base
                        + "/api/v2/x\",\"root\":\""
                        + base
                        + "/x\"}";
        HttpResponse<String> r = kit.post("/v1/skills/fetch-api/tools/run", key, input);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode res = json(r).get("result");
        // declared and within the server's rules
        assertThat(res.get("v1").asText()).isEqualTo("{\"v\": 7}");
        // within the server's rules but not declared
        assertThat(res.get("v2").asText())
                .startsWith("refused: network request denied (net.no-rule)");
        assertThat(res.get("root").asText())
                .startsWith("refused: network request denied (net.no-rule)");
        // declared (the whole host) but the server allows /api/ only
        HttpResponse<String> wide = kit.post("/v1/skills/fetch-root/tools/run", key, input);
        JsonNode w = json(wide).get("result");
        assertThat(w.get("v2").asText()).isEqualTo("{\"v\": 7}");
        assertThat(w.get("root").asText())
                .startsWith("refused: network request denied (net.no-rule)");
        assertThat(json(wide).get("notes").toString())
                .contains("declared but allowed only as: " + base + "/api/");
    }
}
