package dev.airlock.audit.store;

import dev.airlock.audit.AuditKeys;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store tests that run on every backend share: a temporary folder, the backend (made on
 * first open, dropped after each test), the signing keys and a clock the test moves.
 */
abstract class StoreFixture {
    static final long T0 = 1_700_000_000_000L;

    @TempDir Path tmp;
    Backend backend;
    AuditKeys keys;
    final TestRuns.MutableClock clock = new TestRuns.MutableClock(T0);

    /** The backends to run on (the source of the tests' parameters). */
    static List<String> backends() {
        return Backend.names();
    }

    /** Opens a store on backend {@code name}, making the backend and keys the first time. */
    Store open(String name) throws Exception {
        if (backend == null) {
            backend = Backend.create(name, tmp.resolve("data"));
            keys = AuditKeys.loadOrCreate(tmp.resolve("keys"));
        }
        return backend.open();
    }

    @AfterEach
    void dropBackend() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }
}
