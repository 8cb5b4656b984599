package dev.airlock.cli.skill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.skills.Json;
import dev.airlock.skills.SkillException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The client side of the marketplace between servers: uploads a signed {@code .skill} archive to a
 * running {@code airlock serve} ({@code POST /v1/skills}, admin keys) and downloads one ({@code GET
 * /v1/skills/NAME/archive}). It moves bytes only: whoever receives an archive verifies its
 * signature against its own trust store, so nothing is trusted because of the transport. The
 * server's refusals come back as {@link SkillException}s of the kind the server named (an untrusted
 * publisher stays a refusal), its other answers as one line without the server's internals.
 */
final class SkillMarket {
    /** The environment variable holding the API key when no key file is given. */
    static final String KEY_ENV = "AIRLOCK_API_KEY";

    /** The largest archive downloaded (the format's own cap, 64 MiB, plus the zip's overhead). */
    static final long MAX_ARCHIVE = 80L << 20;

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final String key;
    private final HttpClient http;

    private SkillMarket(URI base, String key) {
        this.base = base;
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A client for the server at {@code url} ({@code http://} or {@code https://}, with no query),
     * authenticated with the key in {@code keyFile}, else in {@value #KEY_ENV}.
     *
     * @throws IllegalArgumentException for a bad URL, an unreadable key file, or no key at all
     */
    static SkillMarket of(String url, Path keyFile) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme =
                u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https"))
                || u.getHost() == null
                || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "expected a server URL such as http://127.0.0.1:8787, not " + url);
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        URI base = URI.create(scheme + "://" + u.getRawAuthority() + path + "/");
        String key;
        if (keyFile != null) {
            try {
                key = Files.readString(keyFile).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--api-key-file: cannot read " + keyFile);
            }
        } else {
            key = System.getenv(KEY_ENV);
        }
        if (key == null || key.isBlank() || key.contains("\n")) {
            throw new IllegalArgumentException(
                    "no API key: give --api-key-file FILE or set " + KEY_ENV);
        }
        return new SkillMarket(base, key.strip());
    }

    /** The server's URL as shown in messages. */
    String where() {
        return base.toString().replaceAll("/$", "");
    }

    /**
     * Uploads a signed archive, installed there for {@code tenants} (empty: every tenant).
     *
     * @return the server's answer (name, version, publisher, fingerprint, sha256, tenants)
     */
    JsonNode upload(byte[] archive, List<String> tenants) throws SkillException {
        StringBuilder q = new StringBuilder();
        for (String t : tenants) {
            q.append(q.length() == 0 ? "?" : "&")
                    .append("tenant=")
                    .append(URLEncoder.encode(t, StandardCharsets.UTF_8));
        }
        HttpRequest req =
                request("v1/skills" + q)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                        .build();
        HttpResponse<InputStream> r = send(req);
        byte[] body = read(r, 1 << 20);
        if (r.statusCode() != 201) {
            throw problem(r.statusCode(), body);
        }
        return Json.parse(body, "the server's answer", SkillException.Kind.IO);
    }

    /** Downloads the archive of {@code name} at {@code version} (the highest if null). */
    byte[] download(String name, String version) throws SkillException {
        String path =
                "v1/skills/"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8)
                        + "/archive"
                        + (version == null
                                ? ""
                                : "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
        HttpResponse<InputStream> r = send(request(path).GET().build());
        byte[] body = read(r, MAX_ARCHIVE);
        if (r.statusCode() != 200) {
            throw problem(r.statusCode(), body);
        }
        return body;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + key);
    }

    private HttpResponse<InputStream> send(HttpRequest req) throws SkillException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SkillException(
                    SkillException.Kind.IO,
                    "cannot reach "
                            + where()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkillException(SkillException.Kind.IO, "interrupted");
        }
    }

    private byte[] read(HttpResponse<InputStream> r, long max) throws SkillException {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) {
                throw new SkillException(
                        SkillException.Kind.ARCHIVE,
                        where() + " answered more than " + (max >> 20) + "MiB");
            }
            return b;
        } catch (IOException e) {
            throw new SkillException(
                    SkillException.Kind.IO, "reading the answer of " + where() + " failed");
        }
    }

    /**
     * The server's problem as a skill exception: a refusal keeps the kind the server named (its
     * detail starts with the kind's label), so it stays a refusal here.
     */
    private SkillException problem(int status, byte[] body) {
        String detail = null;
        try {
            JsonNode p = Json.parse(body, "problem", SkillException.Kind.IO);
            if (p.path("detail").isTextual()) {
                detail = p.path("detail").asText();
            }
        } catch (SkillException e) {
            // not a problem document (a proxy's page): the status says enough
        }
        if (detail == null) {
            detail = "HTTP " + status;
        }
        for (SkillException.Kind k : SkillException.Kind.values()) {
            if (detail.startsWith(k.label() + ": ")) {
                return new SkillException(
                        k, where() + " refused it: " + detail.substring(k.label().length() + 2));
            }
        }
        SkillException.Kind k;
        switch (status) {
            case 401:
            case 403:
                k = SkillException.Kind.DENIED;
                break;
            case 404:
                k = SkillException.Kind.NOT_FOUND;
                break;
            case 409:
                k = SkillException.Kind.EXISTS;
                break;
            case 413:
                k = SkillException.Kind.ARCHIVE;
                break;
            case 400:
            case 415:
                k = SkillException.Kind.INPUT;
                break;
            default:
                k = SkillException.Kind.IO;
        }
        return new SkillException(k, where() + " answered " + status + ": " + detail);
    }
}
