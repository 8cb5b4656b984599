package dev.airlock.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The web console: static files from the server's resources ({@code /console} on the class path),
 * served at {@code /} without a key. The console holds no powers of its own: it asks for an API key
 * and makes every call through the public {@code /v1} API, which still needs the key. Every file is
 * served with a strict Content-Security-Policy (scripts, styles and connections to this origin
 * only, WebAssembly compiled from them for browser runs; no inline script or style, no framing, no
 * plugins), {@code X-Content-Type-Options: nosniff}, no referrer, and {@code Cache-Control:
 * no-cache}.
 */
public final class Console {
    /** The policy every console file is served with. */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self';"
                    + " connect-src 'self'; object-src 'none'; base-uri 'none';"
                    + " form-action 'self'; frame-ancestors 'none'";

    static final Map<String, String> HEADERS =
            Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    "X-Frame-Options", "DENY",
                    "Cache-Control", "no-cache");

    private Console() {}

    static void configure(JavalinConfig config) {
        config.staticFiles.add(
                sf -> {
                    sf.hostedPath = "/";
                    sf.directory = "/console";
                    sf.location = Location.CLASSPATH;
                    sf.headers = HEADERS;
                });
    }
}
