package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.time.FakeTicker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-tenant quotas answer 429 with Retry-After; ceilings bound what a request may ask. */
class QuotaTest {
    static final FakeTicker ticker = new FakeTicker();
    static ServerKit kit;

    @BeforeAll
    static void start() throws Exception {
        kit = ServerKit.start(b -> b.ticker(ticker).maxSessionsPerTenant(2));
    }

    @AfterAll
    static void stop() throws Exception {
        kit.close();
    }

    static final String PRINT = "{\"language\":\"javascript\",\"code\":\"console.log(1)\"}";

    @Test
    void runsPerMinute() throws Exception {
        String key = kit.key("perminute", TenantLimits.defaults().withMaxRunsPerMinute(3));
        for (int i = 0; i < 3; i++) {
            assertThat(kit.post("/v1/executions", key, PRINT).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = kit.post("/v1/executions", key, PRINT);
        assertThat(refused.statusCode()).isEqualTo(429);
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 60L);
        assertThat(json(refused).get("detail").asText()).contains("last minute");
        ticker.advance(Duration.ofSeconds(61));
        assertThat(kit.post("/v1/executions", key, PRINT).statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentRuns() throws Exception {
        String key = kit.key("oneatatime", TenantLimits.defaults().withMaxConcurrentRuns(1));
        String other = kit.key("neighbour");
        CompletableFuture<HttpResponse<String>> slow =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"while True: pass\","
                                                + "\"limits\":{\"timeoutMs\":3000}}");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        // wait until the slow run holds the tenant's one place, then ask for another
        while (kit.server.service().activeExecutions() == 0 && !slow.isDone()) {
            Thread.onSpinWait();
        }
        HttpResponse<String> refused = null;
        while (refused == null && !slow.isDone()) {
            HttpResponse<String> r = kit.post("/v1/executions", key, PRINT);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                Thread.onSpinWait();
            }
        }
        assertThat(refused).as("a second run while one runs").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(refused).get("detail").asText()).contains("at once");
        // another tenant is not affected
        assertThat(kit.post("/v1/executions", other, PRINT).statusCode()).isEqualTo(200);
        assertThat(json(slow.get()).get("kind").asText()).isEqualTo("time");
        assertThat(kit.post("/v1/executions", key, PRINT).statusCode()).isEqualTo(200);
    }

    @Test
    void sessionsPerTenant() throws Exception {
        String key = kit.key("sessions");
        String a =
                json(kit.post("/v1/sessions", key, "{\"language\":\"javascript\"}"))
                        .get("id")
                        .asText();
        kit.post("/v1/sessions", key, "{\"language\":\"javascript\"}");
        HttpResponse<String> third = kit.post("/v1/sessions", key, "{\"language\":\"javascript\"}");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(kit.post("/v1/sessions/" + a + "/fork", key, null).statusCode()).isEqualTo(429);
        kit.send("DELETE", "/v1/sessions/" + a, key, null);
        assertThat(kit.post("/v1/sessions", key, "{\"language\":\"javascript\"}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void ceilingsBoundTheLimitsAsked() throws Exception {
        String key =
                kit.key("small", TenantLimits.defaults().withMaxTimeout(Duration.ofSeconds(2)));
        HttpResponse<String> r =
                kit.post(
                        "/v1/executions",
                        key,
                        "{\"language\":\"javascript\",\"code\":\"1\",\"limits\":{\"timeoutMs\":2001}}");
        assertThat(r.statusCode()).isEqualTo(400);
        // without limits, the default (10 s) is lowered to the ceiling
        JsonAssert.limitTime(
                kit.post(
                        "/v1/executions",
                        key,
                        "{\"language\":\"javascript\",\"code\":\"for(;;){}\"}"));
    }

    /** Checks a response is a time limit. */
    static final class JsonAssert {
        static void limitTime(HttpResponse<String> r) throws Exception {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("kind").asText()).isEqualTo("time");
            assertThat(json(r).get("message").asText()).contains("2s");
        }
    }
}
