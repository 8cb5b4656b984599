package dev.airlock.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.store.Store;
import dev.airlock.cli.CliHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock keys} and {@code airlock tenants} against the data folder's store. */
class KeysCliTest {
    @TempDir Path tmp;

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    @Test
    void createPrintsASecretThatAuthenticatesUntilRevoked() throws Exception {
        CliHarness.Result r =
                CliHarness.run("keys", "create", "--tenant", "acme", "--label", "laptop", data());
        assertThat(r.code()).as(r.err()).isZero();
        String secret = r.out().strip();
        assertThat(secret).startsWith("ak_").doesNotContain("\n");
        String keyId = r.err().replaceAll("(?s).*key (key_\\S+).*", "$1");
        assertThat(keyId).startsWith("key_");
        try (Store store = Store.open(tmp.resolve("data"))) {
            assertThat(store.apiKeys().authenticate(secret).orElseThrow().tenant())
                    .isEqualTo("acme");
        }
        CliHarness.Result list = CliHarness.run("keys", "list", data());
        assertThat(list.out()).contains(keyId, "acme", "laptop").doesNotContain(secret);
        assertThat(CliHarness.run("keys", "revoke", keyId, data()).code()).isZero();
        assertThat(CliHarness.run("keys", "revoke", keyId, data()).code()).isEqualTo(1);
        assertThat(CliHarness.run("keys", "list", "--tenant", "acme", data()).out())
                .contains("revoked");
        try (Store store = Store.open(tmp.resolve("data"))) {
            assertThat(store.apiKeys().authenticate(secret)).isEmpty();
        }
    }

    @Test
    void tenantsSetKeepsWhatIsNotGiven() throws Exception {
        CliHarness.Result r =
                CliHarness.run(
                        "tenants",
                        "set",
                        "acme",
                        "--max-timeout",
                        "30s",
                        "--runs-per-minute",
                        "20",
                        data());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(
                        CliHarness.run("tenants", "set", "acme", "--max-memory", "512MiB", data())
                                .code())
                .isZero();
        try (Store store = Store.open(tmp.resolve("data"))) {
            var l = store.tenants().get("acme").orElseThrow().limits();
            assertThat(l.maxTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(l.maxRunsPerMinute()).isEqualTo(20);
            assertThat(l.maxMemoryBytes()).isEqualTo(512L << 20);
        }
        assertThat(CliHarness.run("tenants", "list", data()).out())
                .contains("acme", "max-memory 512MiB");
    }

    @Test
    void badInputIsAUsageError() {
        CliHarness.Result bad = CliHarness.run("keys", "create", "--tenant", "no spaces", data());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("airlock: ");
        assertThat(CliHarness.run("keys", "create", data()).code()).isEqualTo(2);
        assertThat(CliHarness.run("tenants", "set", "acme", "--max-concurrent", "0", data()).code())
                .isEqualTo(2);
        assertThat(CliHarness.run("tenants", "set", "acme", "--max-memory", "lots", data()).code())
                .isEqualTo(2);
    }
}
