package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tenants, API keys and tenant-scoped runs, on SQLite and (when configured) PostgreSQL. */
class TenantsAndKeysTest {
    @TempDir Path tmp;
    Backend backend;

    static List<String> backends() {
        return Backend.names();
    }

    Store open(String name) throws Exception {
        if (backend == null) {
            backend = Backend.create(name, tmp.resolve("data"));
        }
        return backend.open();
    }

    @AfterEach
    void drop() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void keysAuthenticateUntilRevoked(String name) throws Exception {
        try (Store store = open(name)) {
            NewKey k = store.apiKeys().create("acme", false, "ci");
            assertThat(k.secret()).startsWith("ak_").hasSize(46);
            assertThat(k.keyId()).startsWith("key_");
            assertThat(store.apiKeys().authenticate(k.secret())).contains(k.principal());
            assertThat(store.tenants().get("acme")).isPresent();
            assertThat(store.tenants().get("acme").get().limits())
                    .isEqualTo(TenantLimits.defaults());
            assertThat(store.apiKeys().list("acme"))
                    .singleElement()
                    .satisfies(
                            i -> {
                                assertThat(i.keyId()).isEqualTo(k.keyId());
                                assertThat(i.label()).isEqualTo("ci");
                                assertThat(i.revokedAt()).isNull();
                            });
            assertThat(store.apiKeys().revoke(k.keyId())).isTrue();
            assertThat(store.apiKeys().revoke(k.keyId())).isFalse();
            assertThat(store.apiKeys().authenticate(k.secret())).isEmpty();
            assertThat(store.apiKeys().list(null).get(0).revokedAt()).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void secretsAreNeverStored(String name) throws Exception {
        String secret;
        try (Store store = open(name)) {
            secret = store.apiKeys().create("acme", true, null).secret();
            store.apiKeys().bootstrap("bootstrap-secret-0123456789");
        }
        try (Connection c = backend.raw();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM api_keys")) {
            int rows = 0;
            while (r.next()) {
                rows++;
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    String v = r.getString(i);
                    if (v != null) {
                        assertThat(v).doesNotContain(secret).doesNotContain("bootstrap-secret");
                    }
                }
            }
            assertThat(rows).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void bootstrapIsIdempotentAndAdmin(String name) throws Exception {
        try (Store store = open(name)) {
            Principal a = store.apiKeys().bootstrap("bootstrap-secret-0123456789");
            Principal b = store.apiKeys().bootstrap("bootstrap-secret-0123456789");
            assertThat(a).isEqualTo(b);
            assertThat(a.admin()).isTrue();
            assertThat(a.tenant()).isEqualTo("admin");
            assertThat(store.apiKeys().list(null)).hasSize(1);
            assertThatThrownBy(() -> store.apiKeys().bootstrap("short"))
                    .isInstanceOf(IllegalArgumentException.class);
            store.apiKeys().revoke(a.keyId());
            assertThatThrownBy(() -> store.apiKeys().bootstrap("bootstrap-secret-0123456789"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("revoked");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void badInputIsEmptyOrIllegalNeverSqlErrors(String name) throws Exception {
        try (Store store = open(name)) {
            for (String s :
                    new String[] {null, "", "ak_garbage", "' OR 1=1 --", "x".repeat(100_000)}) {
                assertThat(store.apiKeys().authenticate(s)).isEmpty();
            }
            for (String bad : new String[] {"", "a b", "../x", "x".repeat(65), "é", "a'b"}) {
                assertThatThrownBy(() -> store.apiKeys().create(bad, false, null))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.tenants().create(bad, TenantLimits.defaults()))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(store.tenants().get(bad)).isEmpty();
            }
            assertThat(store.tenants().get(null)).isEmpty();
            assertThat(store.apiKeys().revoke(null)).isFalse();
            assertThatThrownBy(() -> TenantLimits.defaults().withMaxConcurrentRuns(0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TenantLimits.defaults().withMaxTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void tenantsAreCreatedUpdatedAndListed(String name) throws Exception {
        try (Store store = open(name)) {
            TenantLimits small = TenantLimits.defaults().withMaxRunsPerMinute(5);
            store.tenants().create("b-team", small);
            assertThatThrownBy(() -> store.tenants().create("b-team", small))
                    .isInstanceOf(StoreException.class);
            store.tenants().ensure("a-team");
            Tenant updated = store.tenants().update("b-team", small.withMaxMemoryBytes(1 << 20));
            assertThat(updated.limits().maxMemoryBytes()).isEqualTo(1 << 20);
            assertThat(store.tenants().get("b-team").get().limits()).isEqualTo(updated.limits());
            assertThat(store.tenants().list())
                    .extracting(Tenant::name)
                    .containsExactly("a-team", "b-team");
            assertThatThrownBy(() -> store.tenants().update("nobody", small))
                    .isInstanceOf(StoreException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void runsAreSeenOnlyByTheirTenant(String name) throws Exception {
        try (Store store = open(name)) {
            Instant t = Instant.ofEpochSecond(1_700_000_000L);
            store.recordRun("r-a", TestRuns.outcome(1), t, t, "alice", null);
            store.recordRun("r-b", TestRuns.outcome(1), t, t, "bob", null);
            assertThat(store.run("alice", "r-a")).isPresent();
            assertThat(store.run("bob", "r-a")).isEmpty();
            assertThat(store.auditLines("bob", "r-a")).isEmpty();
            assertThat(store.runsOfTenant("alice", 10))
                    .extracting(RunRecord::runId)
                    .containsExactly("r-a");
            assertThat(store.runsOfTenant("carol", 10)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aVersionTwoStoreMigratesKeepingItsRuns(String name) throws Exception {
        backend = Backend.create(name, tmp.resolve("data"));
        Instant t = Instant.ofEpochSecond(1_700_000_000L);
        try (Store v2 = Store.open(backend.db(), Migrations.bundled().subList(0, 2))) {
            assertThat(v2.schemaVersion()).isEqualTo(2);
            v2.recordRun("old", TestRuns.outcome(2), t, t, "alice", null);
        }
        try (Store store = backend.open()) {
            assertThat(store.schemaVersion()).isEqualTo(Store.latestSchemaVersion());
            assertThat(store.run("alice", "old")).isPresent();
            assertThat(store.apiKeys().create("alice", false, null).principal().tenant())
                    .isEqualTo("alice");
        }
    }
}
