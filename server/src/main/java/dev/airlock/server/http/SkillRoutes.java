package dev.airlock.server.http;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.service.AirlockService;
import dev.airlock.server.service.SkillService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The routes of {@code /v1/skills}: list, install, show, remove, call a tool, download. */
final class SkillRoutes {
    private SkillRoutes() {}

    /**
     * Registers the routes on {@code r}; {@code raw} reads a request's body within the server's
     * size limit.
     */
    static void register(RoutesConfig r, AirlockService service, Function<Context, byte[]> raw) {
        r.get(
                "/v1/skills",
                ctx ->
                        HttpApi.json(
                                ctx,
                                200,
                                Map.of("skills", service.skills().list(HttpApi.who(ctx)))));
        r.post("/v1/skills", ctx -> installSkill(service, raw, ctx));
        r.get(
                "/v1/skills/{name}",
                ctx ->
                        HttpApi.json(
                                ctx,
                                200,
                                service.skills()
                                        .show(
                                                HttpApi.who(ctx),
                                                ctx.pathParam("name"),
                                                version(ctx))));
        r.delete(
                "/v1/skills/{name}",
                ctx ->
                        HttpApi.json(
                                ctx,
                                200,
                                Map.of(
                                        "name",
                                        ctx.pathParam("name"),
                                        "removed",
                                        service.skills()
                                                .remove(
                                                        HttpApi.who(ctx),
                                                        ctx.pathParam("name"),
                                                        version(ctx)))));
        r.post("/v1/skills/{name}/tools/{tool}", ctx -> callSkill(service, raw, ctx));
        r.get(
                "/v1/skills/{name}/archive",
                ctx -> {
                    SkillService.Archive a =
                            service.skills()
                                    .archive(HttpApi.who(ctx), ctx.pathParam("name"), version(ctx));
                    ctx.header(
                            "Content-Disposition", "attachment; filename=\"" + a.fileName() + "\"");
                    ctx.contentType("application/octet-stream").result(a.bytes());
                });
    }

    /** The {@code version} query parameter: a version, or null for the highest installed. */
    private static String version(Context ctx) {
        String v = ctx.queryParam("version");
        if (v != null && (v.isEmpty() || v.length() > 64)) {
            throw ApiException.badRequest("version: expected a version such as 1.0.0");
        }
        return v;
    }

    private static void callSkill(
            AirlockService service, Function<Context, byte[]> raw, Context ctx) {
        Principal who = HttpApi.who(ctx);
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw Problems.unsupportedMediaType("application/json");
        }
        byte[] input = raw.apply(ctx);
        if (input.length == 0) {
            throw ApiException.badRequest(
                    "the request body is empty; the tool's JSON input is expected");
        }
        HttpApi.json(
                ctx,
                200,
                service.callSkill(
                        who, ctx.pathParam("name"), ctx.pathParam("tool"), version(ctx), input));
    }

    private static void installSkill(
            AirlockService service, Function<Context, byte[]> raw, Context ctx) {
        Principal who = HttpApi.who(ctx);
        if (!who.admin()) {
            throw ApiException.forbidden("installing and removing skills needs an admin key");
        }
        String ct = ctx.contentType();
        String t = ct == null ? "" : ct.toLowerCase(Locale.ROOT);
        if (!t.startsWith("application/octet-stream") && !t.startsWith("application/zip")) {
            throw Problems.unsupportedMediaType("application/octet-stream");
        }
        byte[] archive = raw.apply(ctx);
        HttpApi.json(ctx, 201, service.skills().install(who, archive, ctx.queryParams("tenant")));
    }
}
