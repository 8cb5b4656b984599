package dev.airlock.server.http;

import dev.airlock.server.service.AirlockService;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /healthz} for load balancers: 200 {@code {"status":"ok"}} while the server takes work,
 * 503 {@code {"status":"draining"}} once it is shutting down (it finishes what runs, takes nothing
 * new); both name the node when it has an id. The answers are made once: answering needs no JSON
 * writer and next to no heap, even when it is scarce.
 */
final class Health {
    private final AirlockService service;
    private final byte[] ok;
    private final byte[] draining;

    Health(AirlockService service) {
        this.service = service;
        String node = service.nodeId() == null ? "" : ",\"node\":\"" + service.nodeId() + "\"";
        this.ok = ("{\"status\":\"ok\"" + node + "}").getBytes(StandardCharsets.UTF_8);
        this.draining = ("{\"status\":\"draining\"" + node + "}").getBytes(StandardCharsets.UTF_8);
    }

    void answer(Context ctx) {
        boolean stopping = service.draining();
        ctx.status(stopping ? 503 : 200)
                .contentType("application/json")
                .result(stopping ? draining : ok);
        if (stopping) {
            ctx.header("Retry-After", "5");
        }
    }
}
