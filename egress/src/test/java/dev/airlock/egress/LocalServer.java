package dev.airlock.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server on 127.0.0.1 for tests: {@code /echo} answers the request's method, path,
 * headers and body as text; {@code /redirect?to=URL} answers 302; {@code /big?n=N} answers N bytes;
 * {@code /json} a JSON object. Shared with other modules' tests through this module's test jar.
 */
public final class LocalServer implements AutoCloseable {
    public final HttpServer server;
    public final List<Map<String, List<String>>> seenHeaders = new CopyOnWriteArrayList<>();

    public LocalServer() {
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange x) throws IOException {
        seenHeaders.add(Map.copyOf(x.getRequestHeaders()));
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getRawQuery();
        byte[] in = x.getRequestBody().readAllBytes();
        if (path.equals("/redirect")) {
            x.getResponseHeaders().add("Location", query.substring(3));
            x.sendResponseHeaders(302, -1);
            x.close();
            return;
        }
        byte[] out;
        if (path.equals("/json")) {
            out = "{\"hello\": \"world\", \"n\": 42}".getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/big")) {
            out = new byte[Integer.parseInt(query.substring(2))];
        } else {
            StringBuilder b = new StringBuilder();
            b.append(x.getRequestMethod()).append(' ').append(x.getRequestURI()).append('\n');
            x.getRequestHeaders()
                    .forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
            b.append('\n').append(new String(in, StandardCharsets.UTF_8));
            out = b.toString().getBytes(StandardCharsets.UTF_8);
        }
        x.getResponseHeaders().add("Content-Type", "text/plain");
        x.sendResponseHeaders(
                path.equals("/missing") ? 404 : 200, out.length == 0 ? -1 : out.length);
        x.getResponseBody().write(out);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
