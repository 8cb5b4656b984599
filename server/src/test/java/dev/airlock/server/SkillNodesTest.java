package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.server.http.Json;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two servers on one store (each with its own data folder: trust store and skills' cache) serve the
 * same installed skills: on a SQLite file, and on PostgreSQL when {@value #PG_ENV} names a database
 * ({@code .ci/postgres} prints it), in a fresh schema dropped afterwards.
 */
class SkillNodesTest {
    static final String PG_ENV = "AIRLOCK_TEST_PG_URL";

    @TempDir Path tmp;
    final List<AutoCloseable> open = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String pgBase;
    String pgSchema;

    static List<String> backends() {
        List<String> names = new ArrayList<>(List.of("sqlite"));
        String url = System.getenv(PG_ENV);
        if (url != null && !url.isBlank()) {
            names.add("postgresql");
        }
        return names;
    }

    /** A way to open one store again and again (one connection per node). */
    interface Opener {
        Store open() throws Exception;
    }

    Opener backend(String name) throws Exception {
        if (!"postgresql".equals(name)) {
            Path db = tmp.resolve("db");
            return () -> Store.open(db);
        }
        pgBase = System.getenv(PG_ENV);
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        pgSchema = "t_" + HexFormat.of().formatHex(b);
        try (Connection c = new org.postgresql.Driver().connect(pgBase, new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + pgSchema);
        }
        String url = pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
        return () -> Store.open(url);
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

    /** A server on its own connection to the store, trusting {@code publisher}. */
    AirlockServer node(Opener backend, String name, AuditKeys auditKeys, AuditKeys publisher)
            throws Exception {
        Path data = tmp.resolve(name);
        Registry.open(data).trust().add("acme", AuditKeys.encodePublic(publisher.publicKey()));
        Store store = backend.open();
        open.add(store);
        AirlockServer server =
                AirlockServer.start(ServerConfig.builder().port(0).build(), store, auditKeys, data);
        open.add(server);
        return server;
    }

    HttpResponse<String> send(URI base, String method, String path, String key, byte[] body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Authorization", "Bearer " + key);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header(
                    "Content-Type",
                    path.contains("/tools/") ? "application/json" : "application/octet-stream");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aSkillInstalledThroughOneServerIsListedAndRunsOnTheOther(String name) throws Exception {
        Opener backend = backend(name);
        AuditKeys auditKeys = AuditKeys.loadOrCreate(tmp.resolve("audit"));
        AuditKeys publisher = AuditKeys.create(tmp.resolve("publisher"), "acme");
        URI a = node(backend, "node-a", auditKeys, publisher).uri();
        AirlockServer nodeB = node(backend, "node-b", auditKeys, publisher);
        URI b = nodeB.uri();
        // the second server's MCP tools follow installs made through the first
        java.util.concurrent.atomic.AtomicInteger changes =
                new java.util.concurrent.atomic.AtomicInteger();
        nodeB.service().skills().onChange(changes::incrementAndGet);
        nodeB.service().skills().pollChanges();
        assertThat(changes).hasValue(0);
        String admin;
        String alice;
        String bob;
        try (Store store = backend.open()) {
            admin = store.apiKeys().create("ops", true, "admin").secret();
            alice = store.apiKeys().create("alice", false, "t").secret();
            bob = store.apiKeys().create("bob", false, "t").secret();
        }
        byte[] archive =
                SkillTestFiles.archive(
                        Signatures.sign(SkillTestFiles.echo(tmp, "shared", "1.0.0"), publisher));

        HttpResponse<String> installed = send(a, "POST", "/v1/skills?tenant=alice", admin, archive);
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        nodeB.service().skills().pollChanges();
        assertThat(changes.get()).isPositive();
        // the second server lists it to those who see it, and runs it
        JsonNode listed = json(send(b, "GET", "/v1/skills", alice, null)).get("skills");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("name").asText()).isEqualTo("shared");
        assertThat(listed.get(0).get("tools")).hasSize(2);
        assertThat(json(send(b, "GET", "/v1/skills", bob, null)).get("skills")).isEmpty();
        HttpResponse<String> call =
                send(b, "POST", "/v1/skills/shared/tools/echo", alice, "{\"a\":1}".getBytes());
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        assertThat(json(call).get("result").toString()).isEqualTo("{\"input\":{\"a\":1}}");
        assertThat(send(b, "GET", "/v1/skills/shared/archive", alice, null).statusCode())
                .isEqualTo(200);
        // installing it again through the other server is a conflict
        assertThat(send(b, "POST", "/v1/skills", admin, archive).statusCode()).isEqualTo(409);

        // removed through the second, it is gone from the first
        assertThat(send(b, "DELETE", "/v1/skills/shared", admin, null).statusCode()).isEqualTo(200);
        assertThat(json(send(a, "GET", "/v1/skills", admin, null)).get("skills")).isEmpty();
        assertThat(
                        send(a, "POST", "/v1/skills/shared/tools/echo", alice, "{}".getBytes())
                                .statusCode())
                .isEqualTo(404);
    }
}
