package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.SecretInjection;
import dev.airlock.egress.ApacheTransport;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** allowNet in execution and session requests, within the server's own network rules. */
class NetworkApiTest {
    static final String SECRET = "api-secret-value-8642";
    static final List<String> seenAuth = new CopyOnWriteArrayList<>();
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
                    String auth = x.getRequestHeaders().getFirst("Authorization");
                    seenAuth.add(String.valueOf(auth));
                    byte[] out =
                            (x.getRequestURI().getPath().startsWith("/api/secret/")
                                            ? "auth=" + auth
                                            : "{\"v\": 7}")
                                    .getBytes(StandardCharsets.UTF_8);
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
                                                        .allow(
                                                                "http://localhost:"
                                                                        + upstream.getAddress()
                                                                                .getPort()
                                                                        + "/")
                                                        .secret("API", SECRET)
                                                        .secret("ONLY_OPS", "ops-only-value-31337")
                                                        .inject(
                                                                SecretInjection.parse(
                                                                        "API header Authorization"
                                                                                + " \"Bearer {}\" for "
                                                                                + base
                                                                                + "/api/secret/"))
                                                        .inject(
                                                                SecretInjection.parse(
                                                                        "ONLY_OPS header X-Ops for "
                                                                                + base
                                                                                + "/api/secret/"))
                                                        .transport(new ApacheTransport())
                                                        .build())
                                        .secretTenants("ONLY_OPS", List.of("ops")));
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
                        + "/x\",\"sec\":\""
                        + base
                        + "/api/secret/z\"}";
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
        // the server's secrets are for requests that name them, never for skills
        assertThat(w.get("sec").asText()).isEqualTo("auth=null");
        assertThat(json(wide).get("notes").toString())
                .contains("declared but allowed only as: " + base + "/api/");
    }

    private static String fetch(String url, String rules, String secrets) {
        String code =
                "import os, urllib.request, urllib.error\\n"
                        + "print(sorted(os.environ))\\n"
                        + "try:\\n"
                        + "    print(urllib.request.urlopen('"
                        + url
                        + "').read().decode())\\n"
                        + "except urllib.error.URLError as e:\\n"
                        + "    print(e.reason)";
        return "{\"language\":\"python\",\"code\":\""
                + code
                + "\",\"allowNet\":"
                + rules
                + (secrets == null ? "" : ",\"secrets\":" + secrets)
                + "}";
    }

    @Test
    void aNamedSecretGoesToItsDestinationAndItsValueIsNeverStoredOrShown() throws Exception {
        seenAuth.clear();
        HttpResponse<String> r =
                kit.post(
                        "/v1/executions",
                        key,
                        fetch(base + "/api/secret/x", "[\"GET " + base + "/api/\"]", "[\"API\"]"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("stdout").asText()).isEqualTo("[]\nauth=Bearer [redacted]\n");
        assertThat(seenAuth).containsExactly("Bearer " + SECRET);
        assertThat(r.body()).doesNotContain(SECRET);
        String runId = j.get("runId").asText();
        assertThat(kit.get("/v1/runs/" + runId, key).body()).doesNotContain(SECRET);
        String audit = kit.get("/v1/runs/" + runId + "/audit", key).body();
        assertThat(audit).contains("airlock_http.request").doesNotContain(SECRET);
        // the record names the secret it added (a name, not a value)
        assertThat(audit).containsPattern("\"injected\"\\s*:\\s*\\[\\s*\"API\"");
        // nor anywhere in the data folder (store, audit trail, logs)
        try (Stream<Path> files = Files.walk(kit.data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                        .as(f.toString())
                        .doesNotContain(SECRET);
            }
        }
        // not named: not sent
        seenAuth.clear();
        JsonNode plain =
                json(
                        kit.post(
                                "/v1/executions",
                                key,
                                fetch(
                                        base + "/api/secret/x",
                                        "[\"GET " + base + "/api/\"]",
                                        null)));
        assertThat(plain.get("stdout").asText()).isEqualTo("[]\nauth=null\n");
        assertThat(seenAuth).containsExactly("null");
    }

    @Test
    void secretsThatAreUnknownNotTheTenantsOrUnreachableAreRefused() throws Exception {
        String rules = "[\"GET " + base + "/api/\"]";
        HttpResponse<String> unknown =
                kit.post("/v1/executions", key, fetch(base + "/api/x", rules, "[\"NOPE\"]"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("secrets: unknown secret NOPE (yours: API)");
        // ONLY_OPS exists, but this tenant may not name it: it reads as unknown
        HttpResponse<String> others =
                kit.post("/v1/executions", key, fetch(base + "/api/x", rules, "[\"ONLY_OPS\"]"));
        assertThat(others.statusCode()).isEqualTo(400);
        assertThat(others.body()).contains("secrets: unknown secret ONLY_OPS (yours: API)");
        HttpResponse<String> ops =
                kit.post(
                        "/v1/executions",
                        kit.key("ops"),
                        fetch(base + "/api/secret/y", rules, "[\"ONLY_OPS\"]"));
        assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
        HttpResponse<String> unreachable =
                kit.post(
                        "/v1/executions",
                        key,
                        fetch(
                                base + "/api/x",
                                "[\"http://localhost:" + upstream.getAddress().getPort() + "/\"]",
                                "[\"API\"]"));
        assertThat(unreachable.statusCode()).isEqualTo(400);
        assertThat(unreachable.body())
                .contains(
                        "secrets: API goes to "
                                + base
                                + "/api/secret/, which no rule in allowNet reaches");
        HttpResponse<String> noRules =
                kit.post("/v1/sessions", key, "{\"language\":\"python\",\"secrets\":[\"API\"]}");
        assertThat(noRules.statusCode()).isEqualTo(400);
        assertThat(noRules.body()).contains("secrets: a request that names secrets needs allowNet");
        HttpResponse<String> bad =
                kit.post(
                        "/v1/sessions",
                        key,
                        "{\"language\":\"python\",\"allowNet\":"
                                + rules
                                + ",\"secrets\":[\"a b\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("secrets: invalid secret name");
        for (HttpResponse<String> x : List.of(unknown, others, unreachable, noRules, bad)) {
            assertThat(x.body()).doesNotContain(SECRET).doesNotContain("ops-only-value");
        }
    }

    @Test
    void aSessionUsesTheSecretsItNamed() throws Exception {
        HttpResponse<String> s =
                kit.post(
                        "/v1/sessions",
                        key,
                        "{\"language\":\"python\",\"allowNet\":[\"GET "
                                + base
                                + "/api/\"],\"secrets\":[\"API\"]}");
        assertThat(s.statusCode()).as(s.body()).isEqualTo(201);
        String id = json(s).get("id").asText();
        HttpResponse<String> r =
                kit.post(
                        "/v1/sessions/" + id + "/executions",
                        key,
                        "{\"code\":\"import urllib.request\\nprint(urllib.request.urlopen('"
                                + base
                                + "/api/secret/s').read().decode())\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("stdout").asText()).isEqualTo("auth=Bearer [redacted]\n");
        assertThat(r.body()).doesNotContain(SECRET);
    }
}
