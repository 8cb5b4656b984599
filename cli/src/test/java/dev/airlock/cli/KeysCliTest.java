package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.store.Store;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock keys} and {@code airlock tenants} against the data folder's store. */
class KeysCliTest {
    @TempDir Path tmp;

    record Result(int code, String out, String err) {}

    Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.commandLine(
                                new PrintWriter(out),
                                new PrintWriter(err),
                                Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                        .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    String data() {
        return "--data=" + tmp.resolve("data");
    }

    @Test
    void createPrintsASecretThatAuthenticatesUntilRevoked() throws Exception {
        Result r = cli("keys", "create", "--tenant", "acme", "--label", "laptop", data());
        assertThat(r.code()).as(r.err()).isZero();
        String secret = r.out().strip();
        assertThat(secret).startsWith("ak_").doesNotContain("\n");
        String keyId = r.err().replaceAll("(?s).*key (key_\\S+).*", "$1");
        assertThat(keyId).startsWith("key_");
        try (Store store = Store.open(tmp.resolve("data"))) {
            assertThat(store.apiKeys().authenticate(secret).orElseThrow().tenant())
                    .isEqualTo("acme");
        }
        Result list = cli("keys", "list", data());
        assertThat(list.out()).contains(keyId, "acme", "laptop").doesNotContain(secret);
        assertThat(cli("keys", "revoke", keyId, data()).code()).isZero();
        assertThat(cli("keys", "revoke", keyId, data()).code()).isEqualTo(1);
        assertThat(cli("keys", "list", "--tenant", "acme", data()).out()).contains("revoked");
        try (Store store = Store.open(tmp.resolve("data"))) {
            assertThat(store.apiKeys().authenticate(secret)).isEmpty();
        }
    }

    @Test
    void tenantsSetKeepsWhatIsNotGiven() throws Exception {
        Result r =
                cli(
                        "tenants",
                        "set",
                        "acme",
                        "--max-timeout",
                        "30s",
                        "--runs-per-minute",
                        "20",
                        data());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(cli("tenants", "set", "acme", "--max-memory", "512MiB", data()).code()).isZero();
        try (Store store = Store.open(tmp.resolve("data"))) {
            var l = store.tenants().get("acme").orElseThrow().limits();
            assertThat(l.maxTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(l.maxRunsPerMinute()).isEqualTo(20);
            assertThat(l.maxMemoryBytes()).isEqualTo(512L << 20);
        }
        assertThat(cli("tenants", "list", data()).out()).contains("acme", "max-memory 512MiB");
    }

    @Test
    void badInputIsAUsageError() {
        Result bad = cli("keys", "create", "--tenant", "no spaces", data());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("airlock: ");
        assertThat(cli("keys", "create", data()).code()).isEqualTo(2);
        assertThat(cli("tenants", "set", "acme", "--max-concurrent", "0", data()).code())
                .isEqualTo(2);
        assertThat(cli("tenants", "set", "acme", "--max-memory", "lots", data()).code())
                .isEqualTo(2);
    }
}
