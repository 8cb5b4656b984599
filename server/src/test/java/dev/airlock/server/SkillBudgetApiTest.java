package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile: composition is no way around a tenant's fuel ceiling. A skill that calls a metered skill
 * gives it at most the tenant's largest fuel budget, as a direct call would.
 */
class SkillBudgetApiTest {
    static ServerKit kit;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        // generous time: the caller's interpreter may start inside it on a busy machine
        kit =
                ServerKit.start(
                        b ->
                                b.maxBodyBytes(1 << 20)
                                        .defaultLimits(
                                                dev.airlock.core.Limits.builder()
                                                        .timeout(Duration.ofSeconds(60))
                                                        .build()));
        Registry registry = Registry.open(kit.data);
        AuditKeys publisher = AuditKeys.create(registry.keysDir(), "acme");
        registry.trust().add("acme", AuditKeys.encodePublic(publisher.publicKey()));
        try (Store store = Store.open(kit.data)) {
            store.tenants().ensure("ops");
            admin = store.apiKeys().create("ops", true, "admin").secret();
        }
        // wasm-echo declares 10,000,000 fuel
        upload(Signatures.sign(SkillTestFiles.echo(kit.data, "metered", "1.0.0"), publisher));
        upload(
                Signatures.sign(
                        SkillTestFiles.python(
                                kit.data,
                                "relay",
                                "import airlock, json\n"
                                        + "try:\n"
                                        + "    r = airlock.call('skill:metered/echo', {})\n"
                                        + "except airlock.ToolError as e:\n"
                                        + "    r = {'error': str(e)}\n"
                                        + "print(json.dumps(r))\n",
                                "{\"skills\":[\"metered\"]}"),
                        publisher));
    }

    static void upload(dev.airlock.skills.SkillFiles f) throws Exception {
        HttpResponse<byte[]> r = SkillTestFiles.upload(kit, admin, SkillTestFiles.archive(f), "");
        assertThat(r.statusCode()).as(SkillTestFiles.text(r)).isEqualTo(201);
    }

    /**
     * Calls relay's tool as the key's tenant; the first call may start the server's Python
     * interpreter, which on a busy machine takes longer than the kit's usual request timeout.
     */
    static HttpResponse<String> call(String key) throws Exception {
        java.net.http.HttpRequest req =
                java.net.http.HttpRequest.newBuilder(kit.uri("/v1/skills/relay/tools/run"))
                        .timeout(Duration.ofMinutes(10))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                        .build();
        return kit.http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    @Test
    void aCalleeGetsNoMoreFuelThanTheTenantsCeiling() throws Exception {
        String carol = kit.key("carol", SkillApiTest.tenantLimits(10));
        String alice = kit.key("alice");
        HttpResponse<String> r = call(carol);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode call = ServerKit.json(r).get("calls").get(0);
        assertThat(call.get("callee").asText()).isEqualTo("metered@1.0.0");
        assertThat(call.get("status").asText()).as(r.body()).isEqualTo("limit");
        assertThat(ServerKit.json(r).get("result").get("error").asText()).contains("fuel");
        // a tenant with the default ceiling gets the callee's own budget
        HttpResponse<String> a = call(alice);
        assertThat(ServerKit.json(a).get("calls").get(0).get("status").asText())
                .as(a.body())
                .isEqualTo("ok");
    }
}
