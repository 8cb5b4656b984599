package dev.airlock.components.wasi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.wasi.HostState.InStream;
import dev.airlock.components.wasi.HostState.OutStream;
import dev.airlock.components.wasi.HostState.Pollable;
import dev.airlock.components.wasi.HttpObjects.Body;
import dev.airlock.components.wasi.HttpObjects.Fields;
import dev.airlock.components.wasi.HttpObjects.Future;
import dev.airlock.components.wasi.HttpObjects.IncomingBody;
import dev.airlock.components.wasi.HttpObjects.Request;
import dev.airlock.components.wasi.HttpObjects.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * {@code wasi:http} outgoing requests ({@code types} and {@code outgoing-handler}) through the
 * policy's egress rules: a request is sent, when the component hands it to {@code handle}, as one
 * {@code airlock_http.request} host call (the same gate, rules, limits, secret injection and audit
 * as a module's requests), its body buffered first. A denied or failed request answers {@code
 * HTTP-request-denied} or {@code internal-error} with the gate's reason. Incoming requests and
 * outgoing responses (a component serving HTTP) are not supported: their functions trap.
 */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The largest request body buffered. */
    static final int MAX_BODY = 16 << 20;

    private Http() {}

    static void register(Map<String, Wasi2.Impl> f) {
        String t = "wasi:http/types#";
        HttpFields.register(f, t);
        requests(f, t);
        responses(f, t);
        for (String name :
                new String[] {
                    "[method]incoming-request.method", "[method]incoming-request.path-with-query",
                    "[method]incoming-request.scheme", "[method]incoming-request.authority",
                    "[method]incoming-request.headers", "[method]incoming-request.consume",
                    "[static]response-outparam.set", "[constructor]outgoing-response",
                    "[method]outgoing-response.set-status-code",
                            "[method]outgoing-response.headers",
                    "[method]outgoing-response.body"
                }) {
            f.put(
                    t + name,
                    (c, a) -> {
                        throw new AbiTrap("serving HTTP (" + name + ") is not supported");
                    });
        }
    }

    private static void requests(Map<String, Wasi2.Impl> f, String t) {
        f.put(
                t + "[constructor]outgoing-request",
                (c, a) -> {
                    Request r = new Request();
                    r.headers = c.take(a[0], 0, Fields.class).copy(true);
                    return Io.one(c.own(r));
                });
        f.put(
                t + "[method]outgoing-request.headers",
                (c, a) -> Io.one(c.own(c.self(a[0], 0, Request.class).headers.copy(true))));
        f.put(
                t + "[method]outgoing-request.body",
                (c, a) -> {
                    Request r = c.self(a[0], 0, Request.class);
                    if (r.body != null) {
                        c.u8(a[1], 1);
                        return null;
                    }
                    r.body = new Body();
                    c.u8(a[1], 0);
                    c.u32(a[1] + 4, c.own(r.body));
                    return null;
                });
        f.put(
                t + "[method]outgoing-request.set-method",
                (c, a) -> {
                    Request r = c.self(a[0], 0, Request.class);
                    String[] names = {
                        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
                        "PATCH"
                    };
                    String m = a[1] < names.length ? names[(int) a[1]] : c.string(a[2], a[3]);
                    if (!m.matches("[A-Za-z]{1,16}")) {
                        return Io.one(1);
                    }
                    r.method = m.toUpperCase(Locale.ROOT);
                    return Io.one(0);
                });
        f.put(
                t + "[method]outgoing-request.set-path-with-query",
                (c, a) -> {
                    Request r = c.self(a[0], 0, Request.class);
                    String p = a[1] == 0 ? "/" : c.string(a[2], a[3]);
                    if (!p.startsWith("/") || p.chars().anyMatch(ch -> ch <= ' ')) {
                        return Io.one(1);
                    }
                    r.path = p;
                    return Io.one(0);
                });
        f.put(
                t + "[method]outgoing-request.set-scheme",
                (c, a) -> {
                    Request r = c.self(a[0], 0, Request.class);
                    if (a[1] == 0) {
                        r.scheme = "https";
                    } else if (a[2] < 2) {
                        r.scheme = a[2] == 0 ? "http" : "https";
                    } else {
                        return Io.one(1);
                    }
                    return Io.one(0);
                });
        f.put(
                t + "[method]outgoing-request.set-authority",
                (c, a) -> {
                    Request r = c.self(a[0], 0, Request.class);
                    String au = a[1] == 0 ? null : c.string(a[2], a[3]);
                    if (au != null && !au.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")) {
                        return Io.one(1);
                    }
                    r.authority = au;
                    return Io.one(0);
                });
        f.put(
                t + "[method]outgoing-body.write",
                (c, a) -> {
                    Body b = c.self(a[0], 0, Body.class);
                    if (b.streamTaken) {
                        c.u8(a[1], 1);
                        return null;
                    }
                    b.streamTaken = true;
                    c.u8(a[1], 0);
                    c.u32(a[1] + 4, c.own(new OutStream(b.bytes, MAX_BODY)));
                    return null;
                });
        f.put(
                t + "[static]outgoing-body.finish",
                (c, a) -> {
                    c.take(a[0], 0, Body.class);
                    if (a[1] != 0) {
                        c.take(a[2], 1, Fields.class);
                    }
                    c.u8(a[3], 0);
                    return null;
                });
        f.put("wasi:http/outgoing-handler#handle", Http::handle);
    }

    private static long[] handle(Call c, long[] a) {
        Request r = c.take(a[0], 0, Request.class);
        if (a[1] != 0) {
            c.take(a[2], 1, Object.class);
        }
        long ret = a[3];
        Future fut = new Future();
        if (r.authority == null) {
            fut.error = "HTTP-request-URI-invalid";
        } else {
            send(c, r, fut);
        }
        c.u8(ret, 0);
        c.u32(ret + 8, c.own(fut));
        return null;
    }

    /** Sends a request through the egress gate; the future holds what came back. */
    private static void send(Call c, Request r, Future fut) {
        StringBuilder w = new StringBuilder();
        w.append(r.method).append(' ').append(r.scheme).append("://").append(r.authority);
        w.append(r.path).append('\n');
        for (int i = 0; i < r.headers.names.size(); i++) {
            w.append(r.headers.names.get(i)).append(": ");
            w.append(new String(r.headers.values.get(i), StandardCharsets.ISO_8859_1));
            w.append('\n');
        }
        w.append('\n');
        byte[] body = r.body == null ? new byte[0] : r.body.bytes.toByteArray();
        w.append(Base64.getEncoder().encodeToString(body));
        JsonNode answer;
        try {
            answer = JSON.readTree(c.tool("net:request", w.toString()));
        } catch (java.io.IOException e) {
            fut.error = "internal-error";
            fut.detail = "malformed answer from the egress gate";
            return;
        }
        if (!answer.path("ok").asBoolean()) {
            String rule = answer.path("rule").asText("");
            fut.error = rule.isEmpty() ? "internal-error" : "HTTP-request-denied";
            fut.detail = answer.path("error").asText("request failed");
            return;
        }
        JsonNode res = answer.path("result");
        Fields h = new Fields(true);
        for (JsonNode kv : res.path("headers")) {
            h.names.add(kv.path(0).asText());
            h.values.add(kv.path(1).asText().getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] b = Base64.getDecoder().decode(res.path("body").asText(""));
        fut.response = new Response(res.path("status").asInt(), h, b);
    }

    private static void responses(Map<String, Wasi2.Impl> f, String t) {
        f.put(
                t + "[method]future-incoming-response.subscribe",
                (c, a) -> Io.one(c.own(new Pollable(Long.MIN_VALUE))));
        f.put(
                t + "[method]future-incoming-response.get",
                (c, a) -> {
                    Future fut = c.self(a[0], 0, Future.class);
                    long ret = a[1];
                    c.u8(ret, 1);
                    if (fut.taken) {
                        c.u8(ret + 8, 1);
                        return null;
                    }
                    fut.taken = true;
                    c.u8(ret + 8, 0);
                    if (fut.response != null) {
                        c.u8(ret + 16, 0);
                        c.u32(ret + 24, c.own(fut.response));
                    } else {
                        c.u8(ret + 16, 1);
                        errorCode(c, ret + 24, fut.error, fut.detail);
                    }
                    return null;
                });
        f.put(
                t + "[method]incoming-response.status",
                (c, a) -> Io.one(c.self(a[0], 0, Response.class).status()));
        f.put(
                t + "[method]incoming-response.headers",
                (c, a) -> Io.one(c.own(c.self(a[0], 0, Response.class).headers().copy(true))));
        f.put(
                t + "[method]incoming-response.consume",
                (c, a) -> {
                    Response r = c.self(a[0], 0, Response.class);
                    c.u8(a[1], 0);
                    c.u32(a[1] + 4, c.own(new IncomingBody(r.body())));
                    return null;
                });
        f.put(
                t + "[method]incoming-body.stream",
                (c, a) -> {
                    IncomingBody b = c.self(a[0], 0, IncomingBody.class);
                    c.u8(a[1], 0);
                    c.u32(a[1] + 4, c.own(new InStream(b.body())));
                    return null;
                });
    }

    /** Stores an error-code case: no payload, or internal-error(some(detail)). */
    private static void errorCode(Call c, long at, String name, String detail) {
        if (name.equals("HTTP-request-denied")) {
            c.u8(at, 15);
        } else if (name.equals("HTTP-request-URI-invalid")) {
            c.u8(at, 19);
        } else {
            c.u8(at, 38);
            c.u8(at + 8, detail == null ? 0 : 1);
            if (detail != null) {
                c.string(at + 12, detail);
            }
        }
    }
}
