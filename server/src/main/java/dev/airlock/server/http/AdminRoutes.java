package dev.airlock.server.http;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.KeyRequest;
import dev.airlock.server.api.TenantRequest;
import dev.airlock.server.service.AdminService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.BiFunction;

/** The admin routes under {@code /v1/admin}: tenants and keys, for admin keys only (403). */
final class AdminRoutes {
    private AdminRoutes() {}

    static void register(
            RoutesConfig r, AdminService admin, BiFunction<Context, Class<?>, Object> body) {
        r.get(
                "/v1/admin/tenants",
                ctx -> HttpApi.json(ctx, 200, Map.of("tenants", admin.tenants(who(ctx)))));
        r.put(
                "/v1/admin/tenants/{name}",
                ctx ->
                        HttpApi.json(
                                ctx,
                                200,
                                admin.putTenant(
                                        who(ctx),
                                        ctx.pathParam("name"),
                                        (TenantRequest) body.apply(ctx, TenantRequest.class))));
        r.post(
                "/v1/admin/tenants/{name}/keys",
                ctx ->
                        HttpApi.json(
                                ctx,
                                201,
                                admin.createKey(
                                        who(ctx),
                                        ctx.pathParam("name"),
                                        (KeyRequest) body.apply(ctx, KeyRequest.class))));
        r.get(
                "/v1/admin/keys",
                ctx ->
                        HttpApi.json(
                                ctx,
                                200,
                                Map.of("keys", admin.keys(who(ctx), ctx.queryParam("tenant")))));
        r.get(
                "/v1/admin/audit/verification",
                ctx -> HttpApi.json(ctx, 200, admin.verifyAudit(who(ctx))));
        r.delete(
                "/v1/admin/keys/{keyId}",
                ctx -> {
                    admin.revoke(who(ctx), ctx.pathParam("keyId"));
                    ctx.status(204);
                });
    }

    private static Principal who(Context ctx) {
        Principal p = ctx.attribute(HttpApi.PRINCIPAL);
        if (p == null) {
            throw ApiException.unauthorized();
        }
        return p;
    }
}
