package dev.airlock.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The store's warm-up makes real first uses (each would otherwise fail silently and warm nothing)
 * and decides nothing: where the SQLite driver loads its library from is still open afterwards.
 */
class StoreWarmUpTest {
    @Test
    void itsSampleKeyIsAValidEd25519PublicKey() throws Exception {
        var key =
                KeyFactory.getInstance("Ed25519")
                        .generatePublic(new X509EncodedKeySpec(StoreWarmUp.SOME_PUBLIC_KEY));
        assertThat(key.getAlgorithm()).isEqualTo("EdDSA");
        assertThat(key.getEncoded()).isEqualTo(StoreWarmUp.SOME_PUBLIC_KEY);
    }

    @Test
    void theDriversIdentityIsWorkedOutOnce() throws Exception {
        StoreWarmUp.run();
        String first = SqliteNative.identity();
        assertThat(first).matches("[0-9a-f]{24}");
        assertThat(SqliteNative.identity()).isSameAs(first);
    }

    @Test
    void theSettingsItMakesAreTheStoresOwn() {
        assertThat(Db.sqliteSettings()).containsEntry("journal_mode", "WAL");
    }

    @Test
    void itLeavesTheNativeLibrarysPlaceUndecided() {
        String path = System.getProperty("org.sqlite.lib.path");
        String name = System.getProperty("org.sqlite.lib.name");
        StoreWarmUp.run();
        assertThat(System.getProperty("org.sqlite.lib.path")).isEqualTo(path);
        assertThat(System.getProperty("org.sqlite.lib.name")).isEqualTo(name);
    }
}
