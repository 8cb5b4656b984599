package dev.airlock.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.cli.CliHarness;
import dev.airlock.cli.RunCommand;
import dev.airlock.server.AirlockServer;
import dev.airlock.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code airlock serve --data postgresql://...}: the URL's forms, where the password comes from,
 * one-line errors for bad URLs, and (when {@value #PG_ENV} names a database) a node started on it.
 */
class ServeDataCliTest {
    static final String PG_ENV = "AIRLOCK_TEST_PG_URL";

    @TempDir Path tmp;

    /** {@code airlock serve ARGS...}. */
    CliHarness.Result serve(String... args) {
        return CliHarness.run(List.of("serve"), args);
    }

    @Test
    void aPostgresqlUrlBecomesAJdbcUrlWithTheLoginApart() {
        StoreLocation l =
                StoreLocation.parse(
                        "postgresql://alice:s%40cret@pg.internal:5433/airlock?sslmode=require",
                        null, k -> null);
        assertThat(l.isDatabase()).isTrue();
        assertThat(l.jdbcUrl())
                .isEqualTo("jdbc:postgresql://pg.internal:5433/airlock?sslmode=require");
        assertThat(l.properties().getProperty("user")).isEqualTo("alice");
        assertThat(l.properties().getProperty("password")).isEqualTo("s@cret");
        assertThat(l.shown()).isEqualTo("alice@postgresql://pg.internal:5433/airlock");

        StoreLocation j =
                StoreLocation.parse(
                        "jdbc:postgresql://pg.internal/airlock?user=bob&password=pw",
                        null,
                        k -> null);
        assertThat(j.jdbcUrl()).isEqualTo("jdbc:postgresql://pg.internal/airlock");
        assertThat(j.properties()).containsEntry("user", "bob").containsEntry("password", "pw");

        assertThat(StoreLocation.parse("some/folder", null, k -> null).folder())
                .isEqualTo(Path.of("some/folder"));
    }

    @Test
    void thePasswordComesFromAFileElseTheEnvironment() throws Exception {
        Map<String, String> env = Map.of(StoreLocation.PASSWORD_ENV, "from-env");
        Path file = tmp.resolve("pw");
        Files.writeString(file, "from-file\nignored\n");
        assertThat(
                        StoreLocation.parse("postgresql://u@h/db", file, env::get)
                                .properties()
                                .getProperty("password"))
                .isEqualTo("from-file");
        assertThat(
                        StoreLocation.parse("postgresql://u@h/db", null, env::get)
                                .properties()
                                .getProperty("password"))
                .isEqualTo("from-env");
        assertThat(StoreLocation.parse("postgresql://u@h/db", null, k -> null).properties())
                .doesNotContainKey("password");
        assertThatThrownBy(
                        () ->
                                StoreLocation.parse(
                                        "postgresql://u@h/db", tmp.resolve("none"), env::get))
                .hasMessageContaining("cannot be read");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "postgresql://u@pg.internal:5432",
                "postgresql://u@pg.internal/",
                "postgresql:///db",
                "postgresql://pg.internal/db",
                "postgresql://u@pg.internal/a/b",
                "postgresql://u@pg internal/db",
                "jdbc:postgresql://u@pg.internal:port/db",
                "mysql://u@pg.internal/db",
                "jdbc:sqlserver://pg.internal;databaseName=x"
            })
    void badUrlsGiveOneLineAndExitTwo(String url) {
        CliHarness.Result r = serve("--port", "0", "--data", url, "--node-dir", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("airlock: --data: ").endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n");
        assertThat(r.err()).doesNotContain("Exception", "org.", "java.");
    }

    @Test
    void anUnreachableDatabaseGivesOneLine() {
        CliHarness.Result r =
                serve(
                        "--port",
                        "0",
                        "--data",
                        "postgresql://u@127.0.0.1:1/db",
                        "--node-dir",
                        tmp.resolve("node").toString());
        assertThat(r.code()).isEqualTo(RunCommand.INTERNAL);
        assertThat(r.err()).startsWith("airlock: cannot start the server: ");
        assertThat(r.err().strip()).doesNotContain("\n");
        assertThat(r.err()).doesNotContain("Exception", "org.postgresql", "java.");
    }

    @Test
    void aNodeFolderGoesWithADatabaseOnly() {
        CliHarness.Result r =
                serve(
                        "--port",
                        "0",
                        "--data",
                        tmp.resolve("data").toString(),
                        "--node-dir",
                        tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--node-dir goes with a PostgreSQL --data URL");
    }

    @Test
    void auditVerifyChecksEveryNodesChainFromTheDatabase() throws Exception {
        String base = System.getenv(PG_ENV);
        org.junit.jupiter.api.Assumptions.assumeTrue(base != null && !base.isBlank(), PG_ENV);
        String schema = schema(base);
        try {
            String[] login = new String[2];
            String url = nodeUrl(base, schema, login);
            Map<String, String> env = Map.of(StoreLocation.PASSWORD_ENV, login[1]);
            for (String node : new String[] {"node-a", "node-b"}) {
                ServerConfig config =
                        ServerConfig.builder()
                                .port(0)
                                .nodeId(node)
                                .bootstrapKey("admin-key-of-the-verify-test")
                                .build();
                StoreLocation where = StoreLocation.parse(url, null, env::get);
                try (AirlockServer server = NodeStart.start(config, where, tmp.resolve(node))) {
                    HttpResponse<String> r =
                            HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(
                                                            server.uri().resolve("/v1/executions"))
                                                    .header(
                                                            "Authorization",
                                                            "Bearer admin-key-of-the-verify-test")
                                                    .header("Content-Type", "application/json")
                                                    .POST(
                                                            HttpRequest.BodyPublishers.ofString(
                                                                    "{\"language\":\"javascript\","
                                                                            + "\"code\":\"1\"}"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
            }
            Path pw = tmp.resolve("pw");
            Files.writeString(pw, login[1] + "\n");
            CliHarness.Result r =
                    CliHarness.run(
                            "audit",
                            "verify",
                            "--data",
                            url,
                            "--data-password-file",
                            pw.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("2 runs");
        } finally {
            drop(base, schema);
        }
    }

    /** A fresh schema in the test database. */
    static String schema(String base) throws Exception {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        String schema = "t_" + HexFormat.of().formatHex(b);
        try (Connection c = new org.postgresql.Driver().connect(base, new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    static void drop(String base, String schema) throws Exception {
        try (Connection c = new org.postgresql.Driver().connect(base, new Properties());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /**
     * The test database (a JDBC URL with user and password as parameters) as a postgresql:// URL in
     * {@code schema}, without the password; {@code login} gets the user and password.
     */
    static String nodeUrl(String base, String schema, String[] login) {
        URI u = URI.create(base.substring("jdbc:".length()));
        Map<String, String> q = new java.util.HashMap<>();
        for (String kv : u.getQuery().split("&")) {
            q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        login[0] = q.get("user");
        login[1] = q.get("password");
        return "postgresql://"
                + login[0]
                + "@"
                + u.getAuthority()
                + u.getPath()
                + "?currentSchema="
                + schema;
    }

    @Test
    void aNodeStartsOnTheDatabaseWithItsIdKeptInItsFolder() throws Exception {
        String base = System.getenv(PG_ENV);
        org.junit.jupiter.api.Assumptions.assumeTrue(base != null && !base.isBlank(), PG_ENV);
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        String schema = "t_" + HexFormat.of().formatHex(b);
        try (Connection c = new org.postgresql.Driver().connect(base, new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            // the test URL names user and password as parameters; the password goes by env
            URI u = URI.create(base.substring("jdbc:".length()));
            Map<String, String> q = new java.util.HashMap<>();
            for (String kv : u.getQuery().split("&")) {
                q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            String url =
                    "postgresql://"
                            + q.get("user")
                            + "@"
                            + u.getAuthority()
                            + u.getPath()
                            + "?currentSchema="
                            + schema;
            StoreLocation where =
                    StoreLocation.parse(
                            url, null, Map.of(StoreLocation.PASSWORD_ENV, q.get("password"))::get);
            Path home = tmp.resolve("node");
            String id = NodeDir.id(home);
            assertThat(NodeDir.id(home)).isEqualTo(id);
            assertThat(id).matches("[A-Za-z0-9_-]+-[0-9a-f]{6}");
            ServerConfig config = ServerConfig.builder().port(0).nodeId(id).build();
            try (AirlockServer server = NodeStart.start(config, where, home)) {
                HttpResponse<String> h =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(server.uri().resolve("/healthz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                assertThat(h.statusCode()).isEqualTo(200);
                assertThat(h.body()).contains("\"node\":\"" + id + "\"");
            }
            // the node's audit key is kept in its folder, beside its id
            try (var files = Files.list(home)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .contains(NodeDir.ID_FILE)
                        .hasSizeGreaterThan(1);
            }
        } finally {
            try (Connection c = new org.postgresql.Driver().connect(base, new Properties());
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
