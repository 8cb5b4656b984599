package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of several server nodes on one store share: each node with its own connection,
 * audit key and node id, as {@code airlock serve --data postgresql://...} runs them, on a SQLite
 * file, and on PostgreSQL when {@value #PG_ENV} names a database ({@code .ci/postgres} prints it),
 * in a fresh schema dropped afterwards.
 */
abstract class NodesFixture {
    static final String PG_ENV = "AIRLOCK_TEST_PG_URL";
    static final String ADMIN = "admin-key-for-the-nodes-test";
    static final String SLOW =
            "{\"language\":\"python\",\"code\":\"import time\\nt = time.monotonic()\\n"
                    + "while time.monotonic() - t < 3: pass\\nprint('done')\"}";
    static final String PRINT = "{\"language\":\"javascript\",\"code\":\"console.log(7)\"}";

    @TempDir Path tmp;
    final List<AutoCloseable> open = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String pgBase;
    String pgSchema;
    String pgUrl;

    static List<String> backends() {
        List<String> names = new ArrayList<>(List.of("sqlite"));
        String url = System.getenv(PG_ENV);
        if (url != null && !url.isBlank()) {
            names.add("postgresql");
        }
        return names;
    }

    Store openStore(String backend) throws Exception {
        if (!"postgresql".equals(backend)) {
            return Store.open(tmp.resolve("db"));
        }
        if (pgSchema == null) {
            pgBase = System.getenv(PG_ENV);
            byte[] b = new byte[6];
            ThreadLocalRandom.current().nextBytes(b);
            pgSchema = "t_" + HexFormat.of().formatHex(b);
            try (Connection c = new org.postgresql.Driver().connect(pgBase, new Properties());
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + pgSchema);
            }
            pgUrl = pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
        }
        return Store.open(pgUrl);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (pgSchema != null) {
            try (Connection c = new org.postgresql.Driver().connect(pgBase, new Properties());
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + pgSchema + " CASCADE");
            }
        }
    }

    /** Runs one update on the store's database with a connection of its own. */
    void update(String backend, String sql, byte[] bytes) throws Exception {
        try (Connection c =
                        "postgresql".equals(backend)
                                ? new org.postgresql.Driver().connect(pgUrl, new Properties())
                                : new org.sqlite.JDBC()
                                        .connect(
                                                "jdbc:sqlite:"
                                                        + tmp.resolve("db")
                                                                .resolve(Store.FILE_NAME),
                                                new Properties());
                java.sql.PreparedStatement p = c.prepareStatement(sql)) {
            p.setBytes(1, bytes);
            p.executeUpdate();
        }
    }

    /** A node with its own connection to the store, its own audit key and node id. */
    AirlockServer node(String backend, String id) throws Exception {
        return node(backend, id, java.time.Clock.systemUTC());
    }

    /** A node whose wall clock is {@code clock}. */
    AirlockServer node(String backend, String id, java.time.Clock clock) throws Exception {
        Store store = openStore(backend);
        open.add(store);
        AuditKeys keys = AuditKeys.loadOrCreate(tmp.resolve(id));
        AirlockServer server =
                AirlockServer.start(
                        ServerConfig.builder()
                                .port(0)
                                .nodeId(id)
                                .bootstrapKey(ADMIN)
                                .drainTimeout(Duration.ofSeconds(30))
                                .clock(clock)
                                .build(),
                        store,
                        keys);
        open.add(server);
        return server;
    }

    HttpResponse<String> send(AirlockServer node, String method, String path, String key, String b)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(node.uri() + path))
                        .timeout(Duration.ofSeconds(120));
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        if (b == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json");
            r.method(method, HttpRequest.BodyPublishers.ofString(b));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** Creates tenant {@code name} with {@code limits} (JSON) through {@code node}; its new key. */
    String tenantKey(AirlockServer node, String name, String limits) throws Exception {
        HttpResponse<String> t = send(node, "PUT", "/v1/admin/tenants/" + name, ADMIN, limits);
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        HttpResponse<String> k =
                send(node, "POST", "/v1/admin/tenants/" + name + "/keys", ADMIN, "{}");
        assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
        return json(k).get("secret").asText();
    }
}
