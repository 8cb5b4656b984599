package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreVerification;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Skills over HTTP: admin-only install and remove, per-tenant visibility, calls answered like
 * executions, typed problems for bad input, refused skills, and audited skill-to-skill calls.
 */
class SkillApiTest {
    static final Path EXAMPLES = Path.of("..", "examples", "skills");

    static ServerKit kit;
    static AuditKeys publisher;
    static String admin;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        // generous time: a chain's callees start interpreters inside their caller's time
        kit =
                ServerKit.start(
                        b ->
                                b.maxBodyBytes(1 << 20)
                                        .defaultLimits(
                                                dev.airlock.core.Limits.builder()
                                                        .timeout(Duration.ofSeconds(60))
                                                        .build()));
        Registry registry = Registry.open(kit.data);
        publisher = AuditKeys.create(registry.keysDir(), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(publisher.publicKey()));
        try (Store store = Store.open(kit.data)) {
            store.tenants().ensure("ops");
            admin = store.apiKeys().create("ops", true, "admin").secret();
        }
        alice = kit.key("alice");
        bob = kit.key("bob");
        // wasm-echo for alice only
        HttpResponse<byte[]> r = install(admin, archive(signed(echo())), "?tenant=alice");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    /** The wasm-echo example, published by acme. */
    static SkillFiles echo() throws Exception {
        SkillFiles f = SkillFiles.readFolder(EXAMPLES.resolve("wasm-echo"));
        TreeMap<String, byte[]> m = new TreeMap<>(f.files());
        m.remove("main.wat");
        m.put(
                Manifest.FILE,
                new String(m.get(Manifest.FILE), StandardCharsets.UTF_8)
                        .replace("\"airlock-examples\"", "\"acme\"")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "main.wasm",
                Wat2Wasm.parse(
                        Files.readString(EXAMPLES.resolve("wasm-echo").resolve("main.wat"))));
        return files(m);
    }

    static SkillFiles python(String name, String code, String capabilities) throws Exception {
        TreeMap<String, byte[]> f = new TreeMap<>();
        f.put("main.py", code.getBytes(StandardCharsets.UTF_8));
        String manifest =
                "{\"name\":\""
                        + name
                        + "\",\"version\":\"1.0.0\",\"description\":\"test\",\"publisher\":\"acme\","
                        + "\"tools\":[{\"name\":\"run\",\"description\":\"t\","
                        + "\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":{\"type\":\"object\"}}],"
                        + "\"entry\":{\"kind\":\"python\",\"file\":\"main.py\"},\"capabilities\":"
                        + capabilities
                        + "}";
        f.put(Manifest.FILE, manifest.getBytes(StandardCharsets.UTF_8));
        return files(f);
    }

    /** Files given by path, read back as a skill folder. */
    static SkillFiles files(java.util.Map<String, byte[]> m) throws Exception {
        Path d = Files.createTempDirectory(kit.data, "skill-src");
        for (var e : m.entrySet()) {
            Path f = d.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        return SkillFiles.readFolder(d);
    }

    static SkillFiles signed(SkillFiles f) throws Exception {
        return Signatures.sign(f, publisher);
    }

    static byte[] archive(SkillFiles f) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.pack(out);
        return out.toByteArray();
    }

    static HttpResponse<byte[]> install(String key, byte[] archive, String query) throws Exception {
        return SkillTestFiles.upload(kit, key, archive, query);
    }

    static String text(HttpResponse<byte[]> r) {
        return SkillTestFiles.text(r);
    }

    static void assertProblem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        assertThat(json(r).get("status").asInt()).isEqualTo(status);
        assertThat(r.body()).doesNotContain("Exception", "java.", "dev.airlock.");
    }

    @Test
    void installAndRemoveNeedAnAdminKey() throws Exception {
        byte[] a = archive(signed(python("solo", "print('{}')\n", "{}")));
        HttpResponse<byte[]> refused = install(alice, a, "");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(text(refused)).contains("admin");
        assertThat(install(admin, a, "").statusCode()).isEqualTo(201);
        // installed for all: both tenants see it
        assertThat(kit.get("/v1/skills", alice).body()).contains("\"solo\"");
        assertThat(kit.get("/v1/skills", bob).body()).contains("\"solo\"");
        assertProblem(kit.send("DELETE", "/v1/skills/solo", alice, null), 403);
        HttpResponse<String> gone = kit.send("DELETE", "/v1/skills/solo", admin, null);
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
        assertThat(json(gone).get("removed").get(0).asText()).isEqualTo("1.0.0");
        assertProblem(kit.get("/v1/skills/solo", alice), 404);
        assertProblem(kit.send("DELETE", "/v1/skills/solo", admin, null), 404);
    }

    @Test
    void aTenantSeesAndCallsOnlyTheSkillsInstalledForIt() throws Exception {
        JsonNode list = json(kit.get("/v1/skills", alice));
        assertThat(list.get("skills").findValuesAsText("name")).contains("wasm-echo");
        assertThat(kit.get("/v1/skills", bob).body()).doesNotContain("wasm-echo");
        assertProblem(kit.get("/v1/skills/wasm-echo", bob), 404);
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/echo", bob, "{\"a\":1}"), 404);
        // an admin sees it, with the tenants it is for
        JsonNode forAdmin = json(kit.get("/v1/skills/wasm-echo", admin));
        assertThat(forAdmin.get("tenants").toString()).isEqualTo("[\"alice\"]");
    }

    @Test
    void showGivesTheManifestKeyDigestAndImports() throws Exception {
        HttpResponse<String> r = kit.get("/v1/skills/wasm-echo", alice);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode s = json(r);
        assertThat(s.get("version").asText()).isEqualTo("1.0.0");
        assertThat(s.get("versions").toString()).isEqualTo("[\"1.0.0\"]");
        assertThat(s.get("publisher").asText()).isEqualTo("acme");
        assertThat(s.get("fingerprint").asText()).isNotBlank();
        assertThat(s.get("sha256").asText()).hasSize(64);
        assertThat(s.get("manifest").get("tools").size()).isEqualTo(2);
        assertThat(s.get("imports").findValuesAsText("capability")).contains("stdio");
        assertThat(s.has("tenants")).isFalse();
    }

    @Test
    void aCallAnswersTheResultAndTheRun() throws Exception {
        HttpResponse<String> r =
                kit.post("/v1/skills/wasm-echo/tools/echo", alice, "{\"a\": [1, 2]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode res = json(r);
        assertThat(res.get("result").toString()).isEqualTo("{\"input\":{\"a\":[1,2]}}");
        assertThat(res.get("status").asText()).isEqualTo("ok");
        assertThat(res.get("skill").asText()).isEqualTo("wasm-echo");
        assertThat(res.get("usage").get("fuel").asLong()).isPositive();
        String runId = res.get("runId").asText();
        HttpResponse<String> run = kit.get("/v1/runs/" + runId, alice);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(kit.get("/v1/runs/" + runId + "/audit", alice).body())
                .contains("\"skill\":\"wasm-echo\"");
        assertProblem(kit.get("/v1/runs/" + runId, bob), 404);
        // a version that is there, and one that is not
        assertThat(
                        kit.post("/v1/skills/wasm-echo/tools/count?version=1.0.0", alice, "{}")
                                .statusCode())
                .isEqualTo(200);
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/echo?version=9.9.9", alice, "{}"), 404);
    }

    @Test
    void badInputGetsTypedProblems() throws Exception {
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/echo", alice, "{\"a\":"), 400);
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/echo", alice, "[1]"), 400);
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/echo", alice, ""), 400);
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/nope", alice, "{}"), 404);
        assertProblem(kit.post("/v1/skills/no-such/tools/echo", alice, "{}"), 404);
        assertProblem(kit.post("/v1/skills/..%2f..%2fetc/tools/echo", alice, "{}"), 404);
        // over the 1 MiB limit by less than what the server reads and drops before answering, so
        // the client, still sending, reads the 413 (a body more than 1 MiB over the limit is
        // answered at once and its connection closed: the client may see a reset instead)
        assertProblem(
                kit.post(
                        "/v1/skills/wasm-echo/tools/echo",
                        alice,
                        "{\"a\":\"" + "x".repeat((1 << 20) + 1000) + "\"}"),
                413);
        HttpRequest plain =
                HttpRequest.newBuilder(kit.uri("/v1/skills/wasm-echo/tools/echo"))
                        .header("Authorization", "Bearer " + alice)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build();
        assertProblem(kit.http.send(plain, HttpResponse.BodyHandlers.ofString()), 415);
        assertProblem(kit.post("/v1/skills/wasm-echo/tools/echo", null, "{}"), 401);
    }

    @Test
    void badArchivesGetTypedProblems() throws Exception {
        HttpResponse<byte[]> junk =
                install(admin, "not a zip".getBytes(StandardCharsets.UTF_8), "");
        assertThat(junk.statusCode()).as(text(junk)).isEqualTo(400);
        assertThat(text(junk)).doesNotContain("Exception", "java.");
        HttpResponse<byte[]> unsigned =
                install(admin, archive(python("nosig", "print(1)", "{}")), "");
        assertThat(unsigned.statusCode()).as(text(unsigned)).isEqualTo(422);
        assertThat(text(unsigned)).contains("skill-refused").contains("unsigned");
        HttpResponse<byte[]> again = install(admin, archive(signed(echo())), "");
        assertThat(again.statusCode()).as(text(again)).isEqualTo(409);
        // undeclared capability: a module importing the clock with a manifest declaring none
        TreeMap<String, byte[]> m = new TreeMap<>(echo().files());
        m.put(
                "main.wasm",
                Wat2Wasm.parse(
                        "(module (import \"wasi_snapshot_preview1\" \"clock_time_get\" (func (param"
                                + " i32 i64 i32) (result i32))) (memory (export \"memory\") 1)"
                                + " (func (export \"_start\")))"));
        m.put(
                Manifest.FILE,
                new String(m.get(Manifest.FILE), StandardCharsets.UTF_8)
                        .replace("wasm-echo", "clocky")
                        .getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> sneaky = install(admin, archive(signed(files(m))), "");
        assertThat(sneaky.statusCode()).as(text(sneaky)).isEqualTo(422);
        assertThat(text(sneaky)).contains("undeclared capability");
        HttpResponse<byte[]> bad = install(admin, archive(signed(echo())), "?tenant=a%20b");
        assertThat(bad.statusCode()).isIn(400, 409);
    }

    @Test
    void aSkillChangedAtRestIsRecordedAsRejected() throws Exception {
        HttpResponse<byte[]> installed =
                install(admin, archive(signed(python("fragile", "print('{}')\n", "{}"))), "");
        assertThat(installed.statusCode()).isEqualTo(201);
        Path main = SkillTestFiles.cached(kit, installed, "main.py");
        Files.writeString(main, "import os\nprint('{}')\n");
        HttpResponse<String> r = kit.post("/v1/skills/fragile/tools/run", alice, "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode res = json(r);
        assertThat(res.get("status").asText()).isEqualTo("rejected");
        assertThat(res.get("kind").asText()).isEqualTo("skill-tampered");
        assertThat(res.has("result")).isFalse();
        assertThat(kit.get("/v1/runs/" + res.get("runId").asText(), alice).statusCode())
                .isEqualTo(200);
        assertProblem(kit.get("/v1/skills/fragile", alice), 422);
    }

    @Test
    void aChainOfThreeSkillsIsRecordedAndTheTrailVerifies() throws Exception {
        install(
                admin,
                archive(
                        signed(
                                python(
                                        "cc",
                                        "import json, sys\n"
                                                + "a = json.load(sys.stdin)\n"
                                                + "print(json.dumps({'n': a['n'] * 2}))\n",
                                        "{}"))),
                "?tenant=alice");
        install(
                admin,
                archive(
                        signed(
                                python(
                                        "bb",
                                        "import airlock, json, sys\n"
                                                + "a = json.load(sys.stdin)\n"
                                                + "print(json.dumps(airlock.call('skill:cc/run', {'n': a['n'] + 1})))\n",
                                        "{\"skills\":[\"cc\"]}"))),
                "?tenant=alice");
        install(
                admin,
                archive(
                        signed(
                                python(
                                        "aa",
                                        "import airlock, json, sys\n"
                                                + "a = json.load(sys.stdin)\n"
                                                + "print(json.dumps(airlock.call('skill:bb/run', a)))\n",
                                        "{\"skills\":[\"bb/run\"]}"))),
                "?tenant=alice");
        HttpResponse<String> r = kit.post("/v1/skills/aa/tools/run", alice, "{\"n\": 1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode res = json(r);
        assertThat(res.path("result").toString()).as(r.body()).isEqualTo("{\"n\":4}");
        JsonNode calls = res.get("calls");
        assertThat(calls).hasSize(2);
        String top = res.get("runId").asText();
        JsonNode toB = calls.get(1);
        JsonNode toC = calls.get(0);
        assertThat(toB.get("callee").asText()).isEqualTo("bb@1.0.0");
        assertThat(toB.get("parentRunId").asText()).isEqualTo(top);
        assertThat(toC.get("parentRunId").asText()).isEqualTo(toB.get("runId").asText());
        // each callee is a run of the tenant, its audit records naming its parent
        String audit = kit.get("/v1/runs/" + toC.get("runId").asText() + "/audit", alice).body();
        assertThat(audit)
                .contains("\"skill\":\"cc\"")
                .contains("\"parentRun\":\"run:" + toB.get("runId").asText() + "\"")
                .contains("\"skillDigest\":\"sha256:");
        String topAudit = kit.get("/v1/runs/" + top + "/audit", alice).body();
        String bAudit = kit.get("/v1/runs/" + toB.get("runId").asText() + "/audit", alice).body();
        assertThat(topAudit).as(bAudit).contains("tool/skill:bb/run");
        assertProblem(kit.get("/v1/runs/" + toB.get("runId").asText(), bob), 404);
        try (Store store = Store.open(kit.data)) {
            StoreVerification v = store.verifyAll(AuditKeys.loadOrCreate(kit.data).publicKey());
            assertThat(v.intact()).as(v.toString()).isTrue();
        }
    }

    @Test
    void aMeteredSkillsFuelIsAtMostTheTenantsLargestBudget() throws Exception {
        String carol = kit.key("carol", tenantLimits(10));
        // wasm-echo declares 10,000,000 fuel; carol may give at most 10
        assertThat(install(admin, archive(signed(echoAs("echo-for-all"))), "").statusCode())
                .isEqualTo(201);
        HttpResponse<String> r = kit.post("/v1/skills/echo-for-all/tools/echo", carol, "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).as(r.body()).isEqualTo("limit");
        assertThat(json(r).get("kind").asText()).isEqualTo("fuel");
        HttpResponse<String> a = kit.post("/v1/skills/echo-for-all/tools/echo", alice, "{}");
        assertThat(json(a).get("status").asText()).as(a.body()).isEqualTo("ok");
    }

    static dev.airlock.audit.store.TenantLimits tenantLimits(long maxFuel) {
        var d = dev.airlock.audit.store.TenantLimits.defaults();
        return new dev.airlock.audit.store.TenantLimits(
                d.maxTimeout(),
                d.maxMemoryBytes(),
                d.maxOutputBytes(),
                maxFuel,
                d.maxConcurrentRuns(),
                d.maxRunsPerMinute());
    }

    /** wasm-echo under another name. */
    static SkillFiles echoAs(String name) throws Exception {
        TreeMap<String, byte[]> m = new TreeMap<>(echo().files());
        m.put(
                Manifest.FILE,
                new String(m.get(Manifest.FILE), StandardCharsets.UTF_8)
                        .replace("\"wasm-echo\"", "\"" + name + "\"")
                        .getBytes(StandardCharsets.UTF_8));
        return files(m);
    }
}
