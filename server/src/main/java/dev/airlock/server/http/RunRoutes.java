package dev.airlock.server.http;

import dev.airlock.server.api.ApiException;
import dev.airlock.server.service.AirlockService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The recorded runs under {@code /v1/runs}: the tenant's latest runs, one run's outcome and its
 * sealed audit records.
 */
final class RunRoutes {
    /** How many runs {@code GET /v1/runs} lists when {@code limit} is absent. */
    static final int DEFAULT_LIMIT = 50;

    private RunRoutes() {}

    static void register(RoutesConfig r, AirlockService service) {
        r.get(
                "/v1/runs",
                ctx ->
                        HttpApi.json(
                                ctx,
                                200,
                                Map.of("runs", service.runs(HttpApi.who(ctx), limit(ctx)))));
        r.get(
                "/v1/runs/{id}",
                ctx -> HttpApi.json(ctx, 200, service.run(HttpApi.who(ctx), ctx.pathParam("id"))));
        r.get(
                "/v1/runs/{id}/audit",
                ctx -> {
                    List<String> lines = service.audit(HttpApi.who(ctx), ctx.pathParam("id"));
                    StringBuilder sb = new StringBuilder();
                    lines.forEach(l -> sb.append(l).append('\n'));
                    ctx.contentType("application/x-ndjson").result(sb.toString());
                });
    }

    /** The {@code limit} query parameter: 1 to 200, default 50 (else 400). */
    private static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        if (v.isEmpty() || v.length() > 3 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest(
                    "limit: expected a number from 1 to " + AirlockService.MAX_RUN_LIST);
        }
        return Integer.parseInt(v);
    }
}
