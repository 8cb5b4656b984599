package dev.airlock.core.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The guest's side of a request, as written to the tool device after the line {@code net:request}:
 * a request line {@code METHOD URL}, header lines {@code Name: value}, an empty line and the body
 * in base64. Answers are JSON envelopes: {@code {"ok":true,"result":{"status":200,
 * "reason":"OK","headers":[["Name","value"]],"body":"BASE64"}}} or {@code
 * {"ok":false,"error":"...","rule":"net.no-rule"}}.
 */
public final class Wire {
    private Wire() {}

    /** A guest's request, not yet checked. */
    public record GuestRequest(
            String method, String url, List<HttpTransport.Header> headers, byte[] body) {}

    /**
     * Parses a request.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public static GuestRequest parse(String text) {
        int end = text.indexOf("\n\n");
        if (end < 0) {
            throw new IllegalArgumentException("malformed request: no empty line after headers");
        }
        String[] lines = text.substring(0, end).split("\n", -1);
        String first = lines[0];
        int sp = first.indexOf(' ');
        if (sp <= 0) {
            throw new IllegalArgumentException("malformed request line: expected METHOD URL");
        }
        String method = first.substring(0, sp);
        if (!method.matches("[A-Z]{1,16}")) {
            throw new IllegalArgumentException("malformed method");
        }
        List<HttpTransport.Header> headers = new ArrayList<>();
        if (lines.length > 201) {
            throw new IllegalArgumentException("more than 200 headers");
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed header line");
            }
            String name = lines[i].substring(0, colon);
            String value = lines[i].substring(colon + 1).strip();
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}")) {
                throw new IllegalArgumentException("malformed header name");
            }
            if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new IllegalArgumentException("header " + name + " has a control character");
            }
            headers.add(new HttpTransport.Header(name, value));
        }
        byte[] body;
        try {
            body = Base64.getDecoder().decode(text.substring(end + 2).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed body: expected base64");
        }
        return new GuestRequest(method, first.substring(sp + 1), headers, body);
    }

    /** The answer for a response. */
    public static String ok(HttpTransport.Response r) {
        StringBuilder b = new StringBuilder(r.body().length * 4 / 3 + 256);
        b.append("{\"ok\":true,\"result\":{\"status\":").append(r.status());
        b.append(",\"reason\":").append(quote(r.reason()));
        b.append(",\"headers\":[");
        for (int i = 0; i < r.headers().size(); i++) {
            HttpTransport.Header h = r.headers().get(i);
            b.append(i == 0 ? "" : ",")
                    .append('[')
                    .append(quote(h.name()))
                    .append(',')
                    .append(quote(h.value()))
                    .append(']');
        }
        b.append("],\"body\":\"").append(Base64.getEncoder().encodeToString(r.body()));
        return b.append("\"}}").toString();
    }

    /** The answer for a refused or failed request. */
    public static String error(String message, String rule) {
        return "{\"ok\":false,\"error\":"
                + quote(message)
                + ",\"rule\":"
                + (rule == null ? "null" : quote(rule))
                + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static int size(GuestRequest r) {
        int n = r.method().length() + r.url().length() + r.body().length;
        for (HttpTransport.Header h : r.headers()) {
            n += h.name().length() + h.value().length() + 4;
        }
        return n;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
