package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.StoreVerification;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several server nodes on one store, each with its own connection, audit key and node id, as {@code
 * airlock serve --data postgresql://...} runs them: keys, runs and audit are shared, quotas hold
 * across nodes, every chain verifies from the store alone, and a draining node says so on {@code
 * /healthz}. On a SQLite file, and on PostgreSQL when {@value #PG_ENV} names a database ({@code
 * .ci/postgres} prints it), in a fresh schema dropped afterwards.
 */
class ServerNodesTest extends NodesFixture {
    CompletableFuture<HttpResponse<String>> async(AirlockServer node, String key, String body) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return send(node, "POST", "/v1/executions", key, body);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void runsKeysAndAuditAreSharedAndEveryChainVerifiesFromTheStore(String backend)
            throws Exception {
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b");
        String key = tenantKey(a, "acme", "{}"); // made through A, used on B
        HttpResponse<String> ran = send(b, "POST", "/v1/executions", key, PRINT);
        assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
        String runB = json(ran).get("runId").asText();
        HttpResponse<String> ranA = send(a, "POST", "/v1/executions", key, PRINT);
        String runA = json(ranA).get("runId").asText();

        HttpResponse<String> seen = send(a, "GET", "/v1/runs/" + runB, key, null);
        assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
        assertThat(json(seen).get("node").asText()).isEqualTo("node-b");
        assertThat(json(send(b, "GET", "/v1/runs/" + runA, key, null)).get("node").asText())
                .isEqualTo("node-a");
        HttpResponse<String> audit = send(a, "GET", "/v1/runs/" + runB + "/audit", key, null);
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        assertThat(audit.body()).contains(runB);
        assertThat(json(send(a, "GET", "/healthz", null, null)).get("node").asText())
                .isEqualTo("node-a");

        a.close();
        b.close();
        try (Store s = openStore(backend)) {
            StoreVerification v = s.verifyAll();
            assertThat(v.writers()).hasSize(2).allMatch(w -> w.result().ok());
            assertThat(v.intact()).isTrue();
            assertThat(v.runsChecked()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aTenantsConcurrencyLimitHoldsAcrossNodes(String backend) throws Exception {
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b");
        String key = tenantKey(a, "one", "{\"maxConcurrentRuns\":1}");
        String other = tenantKey(b, "other", "{\"maxConcurrentRuns\":1}");
        CompletableFuture<HttpResponse<String>> slow = async(a, key, SLOW);
        // once A runs the tenant's one execution, B refuses a second
        while (a.service().activeExecutions() == 0 && !slow.isDone()) {
            Thread.onSpinWait();
        }
        HttpResponse<String> refused = send(b, "POST", "/v1/executions", key, PRINT);
        assertThat(slow.isDone()).as("the slow run still ran when B answered").isFalse();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(json(refused).get("detail").asText()).contains("at once");
        assertThat(send(b, "POST", "/v1/executions", other, PRINT).statusCode()).isEqualTo(200);
        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(send(b, "POST", "/v1/executions", key, PRINT).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aDrainingNodeAnswers503AndFinishesWhatRuns(String backend) throws Exception {
        AirlockServer a = node(backend, "node-a");
        AirlockServer b = node(backend, "node-b");
        String key = tenantKey(a, "acme", "{}");
        send(b, "POST", "/v1/executions", key, "{\"language\":\"python\",\"code\":\"1\"}");
        assertThat(send(b, "GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> running = async(b, key, SLOW);
        while (b.service().activeExecutions() == 0 && !running.isDone()) {
            Thread.onSpinWait();
        }
        CompletableFuture<Void> stopping =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                b.close();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        while (!b.service().draining()) {
            Thread.onSpinWait();
        }
        HttpResponse<String> health = send(b, "GET", "/healthz", null, null);
        HttpResponse<String> refused = send(b, "POST", "/v1/executions", key, PRINT);
        assertThat(running.isDone()).as("the slow run still ran when B answered").isFalse();
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json(health).get("status").asText()).isEqualTo("draining");
        assertThat(json(health).get("node").asText()).isEqualTo("node-b");
        assertThat(refused.statusCode()).isEqualTo(503);
        // the other node goes on serving
        assertThat(send(a, "GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> finished = running.get();
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(json(finished).get("stdout").asText()).isEqualTo("done\n");
        stopping.get();
        String runId = json(finished).get("runId").asText();
        assertThat(json(send(a, "GET", "/v1/runs/" + runId, key, null)).get("node").asText())
                .isEqualTo("node-b");
    }
}
