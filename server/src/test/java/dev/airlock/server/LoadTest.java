package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.RunRecord;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.TenantLimits;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 2,000 {@code print(1)} requests at concurrency 16 over loopback: no error, no lost result. */
class LoadTest {
    static final int REQUESTS = 2000;
    static final int CONCURRENCY = 16;

    @Test
    void twoThousandPrintsAtConcurrencySixteen() throws Exception {
        try (ServerKit kit = ServerKit.start()) {
            String key =
                    kit.key(
                            "load",
                            TenantLimits.defaults()
                                    .withMaxConcurrentRuns(CONCURRENCY)
                                    .withMaxRunsPerMinute(1_000_000));
            String body = "{\"language\":\"python\",\"code\":\"print(1)\"}";
            Set<String> runIds = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
            try {
                List<Future<?>> done = new java.util.ArrayList<>();
                for (int c = 0; c < CONCURRENCY; c++) {
                    done.add(
                            clients.submit(
                                    () -> {
                                        while (next.getAndIncrement() < REQUESTS) {
                                            try {
                                                HttpResponse<String> r =
                                                        kit.post("/v1/executions", key, body);
                                                JsonNode j = json(r);
                                                if (r.statusCode() != 200
                                                        || !j.get("stdout")
                                                                .asText()
                                                                .equals("1\n")) {
                                                    failures.add(r.statusCode() + " " + r.body());
                                                } else {
                                                    runIds.add(j.get("runId").asText());
                                                }
                                            } catch (Exception e) {
                                                failures.add(e.toString());
                                            }
                                        }
                                        return null;
                                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(failures).isEmpty();
            assertThat(runIds).hasSize(REQUESTS);
            try (Store store = Store.open(kit.data)) {
                List<RunRecord> runs = store.runsOfTenant("load", REQUESTS + 10);
                assertThat(runs).hasSize(REQUESTS);
                assertThat(runs.stream().map(RunRecord::runId))
                        .containsExactlyInAnyOrderElementsOf(runIds);
            }
        }
    }
}
