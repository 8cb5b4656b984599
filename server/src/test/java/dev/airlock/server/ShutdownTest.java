package dev.airlock.server;

import static dev.airlock.server.ServerKit.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.Store;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Shutdown drains running executions: their results reach the client and the store. */
class ShutdownTest {
    @Test
    void runningExecutionsFinishAndAreRecorded() throws Exception {
        ServerKit kit = ServerKit.start();
        String key = kit.key("acme");
        // warm the interpreter so that the run below starts at once
        kit.post("/v1/executions", key, "{\"language\":\"python\",\"code\":\"1\"}");
        CompletableFuture<HttpResponse<String>> running =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return kit.post(
                                        "/v1/executions",
                                        key,
                                        "{\"language\":\"python\",\"code\":\"import time\\n"
                                                + "t = time.monotonic()\\n"
                                                + "while time.monotonic() - t < 1.5: pass\\n"
                                                + "print('done')\"}");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        while (kit.server.service().activeExecutions() == 0 && !running.isDone()) {
            Thread.onSpinWait();
        }
        kit.server.close();
        HttpResponse<String> r = running.get();
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("stdout").asText()).isEqualTo("done\n");
        try (Store store = Store.open(kit.data)) {
            assertThat(store.run(j.get("runId").asText())).isPresent();
        }
        assertThatThrownBy(() -> kit.post("/v1/executions", key, "{}"))
                .isInstanceOf(java.io.IOException.class);
        kit.close();
    }
}
