package dev.airlock.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.NewKey;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.server.http.Json;
import dev.airlock.server.observe.ServerLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;

/**
 * A server for tests: port 0, a temporary data folder, keys made through the store, and a real HTTP
 * client.
 */
public final class ServerKit implements AutoCloseable {
    public final Path data;
    public final AirlockServer server;
    public final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerKit(Path data, AirlockServer server) {
        this.data = data;
        this.server = server;
    }

    public static ServerKit start() throws IOException {
        return start(b -> b);
    }

    public static ServerKit start(UnaryOperator<ServerConfig.Builder> config) throws IOException {
        return start(config, ServerLog.discard());
    }

    /** A server writing its request log and warnings to {@code log}. */
    public static ServerKit start(UnaryOperator<ServerConfig.Builder> config, ServerLog log)
            throws IOException {
        Path data = Files.createTempDirectory("airlock-server-test");
        AirlockServer server =
                AirlockServer.start(
                        config.apply(ServerConfig.builder().port(0)).build(), data, log);
        return new ServerKit(data, server);
    }

    /** A new API key for a tenant with these limits. */
    public String key(String tenant, TenantLimits limits) throws IOException {
        try (Store store = Store.open(data)) {
            if (store.tenants().get(tenant).isEmpty()) {
                store.tenants().create(tenant, limits);
            } else {
                store.tenants().update(tenant, limits);
            }
            NewKey k = store.apiKeys().create(tenant, false, "test");
            return k.secret();
        }
    }

    public String key(String tenant) throws IOException {
        return key(tenant, TenantLimits.defaults());
    }

    public URI uri(String path) {
        return server.uri().resolve(path);
    }

    /** A request with the key (null: none) and a JSON body (null: GET). */
    public HttpResponse<String> send(String method, String path, String key, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String key, String json)
            throws IOException, InterruptedException {
        return send("POST", path, key, json);
    }

    public HttpResponse<String> get(String path, String key)
            throws IOException, InterruptedException {
        return send("GET", path, key, null);
    }

    /** Runs {@code sql} on the server's SQLite store from outside it, as an intruder would. */
    public void tamper(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c =
                        new org.sqlite.JDBC()
                                .connect(
                                        "jdbc:sqlite:"
                                                + data.resolve(
                                                        dev.airlock.audit.store.Store.FILE_NAME),
                                        new java.util.Properties());
                java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    /** A JSON string literal. */
    public static String str(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (var walk = Files.walk(data)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
