package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Limits;
import dev.airlock.server.http.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The memory attack of one tenant, on a server whose memory budget is shrunk to fit the test heap:
 * sessions that fill their memory are admitted only up to the tenant's total and the server's
 * budget; beyond them requests get 429 or 503 with Retry-After instead of filling the heap, and
 * {@code /healthz} and another tenant's {@code print(1)} keep answering.
 */
class MemoryAdmissionTest {
    static final long MIB = 1L << 20;
    static final String PRINT = "{\"language\":\"python\",\"code\":\"print(1)\"}";
    static final String SESSION = "{\"language\":\"python\"}";

    static ServerKit start() throws Exception {
        return ServerKit.start(
                b ->
                        b.memoryBudgetBytes(192 * MIB)
                                .tenantMemoryBytes(96 * MIB)
                                .memoryWait(Duration.ZERO)
                                .defaultLimits(Limits.builder().memoryBytes(48 * MIB).build()));
    }

    static JsonNode refused(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/problem+json");
        assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()))
                .isPositive();
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asText()).contains("memory");
        return p;
    }

    static void answers(ServerKit kit, String key) throws Exception {
        HttpResponse<String> health = kit.get("/healthz", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("ok");
        HttpResponse<String> r = kit.post("/v1/executions", key, PRINT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("stdout").asText()).isEqualTo("1\n");
    }

    static String open(ServerKit kit, String key) throws Exception {
        HttpResponse<String> r = kit.post("/v1/sessions", key, SESSION);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    @Test
    void oneTenantFillingItsSessionsLeavesTheServerToEveryoneElse() throws Exception {
        try (ServerKit kit = start()) {
            String hog = kit.key("hog");
            String calm = kit.key("calm");
            List<String> held = new ArrayList<>();
            // the attack: open sessions and fill their memory, as many as the server lets it
            HttpResponse<String> last;
            while (true) {
                last = kit.post("/v1/sessions", hog, SESSION);
                if (last.statusCode() != 201) {
                    break;
                }
                String id = json(last).get("id").asText();
                held.add(id);
                HttpResponse<String> fill =
                        kit.post(
                                "/v1/sessions/" + id + "/executions",
                                hog,
                                "{\"code\":\"b = bytearray(8 << 20)\\nprint(len(b))\"}");
                assertThat(fill.statusCode()).as(fill.body()).isEqualTo(200);
                assertThat(held).hasSizeLessThanOrEqualTo(2);
            }
            assertThat(held).hasSize(2);
            assertThat(refused(last, 429).get("detail").asText()).contains("hog");
            refused(kit.post("/v1/executions", hog, PRINT), 429);
            // everyone else is still served
            answers(kit, calm);
            answers(kit, kit.key("third"));
            // a closed session gives its memory back to its tenant
            assertThat(kit.send("DELETE", "/v1/sessions/" + held.get(0), hog, null).statusCode())
                    .isEqualTo(204);
            answers(kit, hog);
        }
    }

    @Test
    void aFullServerAnswers503WithRetryAfterAndStillAnswersHealth() throws Exception {
        try (ServerKit kit = start()) {
            String a = kit.key("a");
            String b = kit.key("b");
            String c = kit.key("c");
            String a1 = open(kit, a);
            open(kit, a);
            open(kit, b);
            open(kit, b);
            // 4 x 48 MiB: the 192 MiB budget is in use
            refused(kit.post("/v1/executions", c, PRINT), 503);
            refused(kit.post("/v1/sessions", c, SESSION), 503);
            assertThat(kit.get("/healthz", null).statusCode()).isEqualTo(200);
            try (McpSyncClient mcp = mcp(kit, c)) {
                McpSchema.CallToolResult r =
                        mcp.callTool(
                                new McpSchema.CallToolRequest(
                                        "run_python", Map.of("code", "print(1)")));
                assertThat(r.isError()).isTrue();
                assertThat(((McpSchema.TextContent) r.content().get(0)).text())
                        .contains("Service unavailable", "memory")
                        .doesNotContain("Exception", "java.");
            }
            assertThat(kit.send("DELETE", "/v1/sessions/" + a1, a, null).statusCode())
                    .isEqualTo(204);
            answers(kit, c);
            // one-shot runs give their memory back: many in a row still fit
            for (int i = 0; i < 3; i++) {
                answers(kit, c);
            }
        }
    }

    @Test
    void snapshotsHoldMemoryUntilTheirSessionCloses() throws Exception {
        try (ServerKit kit = start()) {
            String key = kit.key("snapper");
            String id = open(kit, key);
            long held = 48 * MIB;
            HttpResponse<String> r;
            int taken = 0;
            while (true) {
                r = kit.post("/v1/sessions/" + id + "/snapshots", key, null);
                if (r.statusCode() != 201) {
                    break;
                }
                held += json(r).get("memoryBytes").asLong();
                taken++;
                assertThat(held).isLessThanOrEqualTo(96 * MIB);
            }
            assertThat(taken).isPositive();
            refused(r, 429);
            assertThat(kit.send("DELETE", "/v1/sessions/" + id, key, null).statusCode())
                    .isEqualTo(204);
            // the session and its snapshots gave everything back
            open(kit, key);
            open(kit, key);
        }
    }

    @Test
    void askingMoreThanATenantMayHoldIsABadRequest() throws Exception {
        try (ServerKit kit = start()) {
            HttpResponse<String> r =
                    kit.post(
                            "/v1/executions",
                            kit.key("big"),
                            "{\"language\":\"python\",\"code\":\"1\",\"limits\":{\"memoryBytes\":"
                                    + (128 * MIB)
                                    + "}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).contains("a tenant may hold");
        }
    }

    @Test
    void theDefaultBudgetLeavesTheServerHeadroom() {
        long gib = 1L << 30;
        assertThat(ServerConfig.defaultMemoryBudget(6 * gib)).isEqualTo(6 * gib - 6 * gib / 4);
        assertThat(ServerConfig.defaultMemoryBudget(512 * MIB)).isEqualTo(256 * MIB);
        assertThat(ServerConfig.defaultMemoryBudget(100 * MIB)).isEqualTo(64 * MIB);
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.memoryBudgetBytes())
                .isEqualTo(ServerConfig.defaultMemoryBudget(Runtime.getRuntime().maxMemory()));
        assertThat(d.tenantMemoryBytes()).isEqualTo((d.memoryBudgetBytes() / 2) & -MIB);
        assertThat(d.memoryBudgetBytes() % MIB).isZero();
        assertThat(ServerConfig.defaultMemoryBudget(1000 * MIB + 123)).isEqualTo(744 * MIB);
        assertThat(d.memoryWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theBuilderRefusesBadMemorySettings() {
        assertThatThrownBy(() -> ServerConfig.builder().memoryBudgetBytes(MIB))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.builder().tenantMemoryBytes(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.builder().memoryWait(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                ServerConfig.builder()
                                        .memoryBudgetBytes(64 * MIB)
                                        .tenantMemoryBytes(128 * MIB)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not exceed");
    }

    static McpSyncClient mcp(ServerKit kit, String key) {
        HttpClientStreamableHttpTransport t =
                HttpClientStreamableHttpTransport.builder(kit.server.uri().toString())
                        .endpoint("/mcp")
                        .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER))
                        .requestBuilder(
                                HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
                        .build();
        McpSyncClient c = McpClient.sync(t).requestTimeout(Duration.ofSeconds(120)).build();
        c.initialize();
        return c;
    }
}
