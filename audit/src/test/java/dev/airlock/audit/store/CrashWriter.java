package dev.airlock.audit.store;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The child process of {@link StoreCrashTest}: writes to a store through an {@link AuditTrail}
 * until it is killed. Arguments: the store (data folder or JDBC URL), the key folder, and {@code
 * guest} (runs a WebAssembly guest in a loop, recording each run) or {@code synthetic} (long runs
 * of synthetic events, so that the trail is often between checkpoints).
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        AuditKeys keys = AuditKeys.loadOrCreate(Path.of(args[1]));
        Store store = Backend.open(args[0]);
        AuditTrail trail = new AuditTrail(store.trailSink(), keys, store.chain(), 50);
        System.out.println("writer " + store.writerId());
        if ("guest".equals(args[2])) {
            Airlock airlock = Airlock.create();
            GuestModule module = airlock.load(Wat2Wasm.parse(TestRuns.GUEST));
            while (true) {
                TestRuns.RunIds ids = new TestRuns.RunIds(trail);
                Instant start = Instant.now();
                Outcome o = airlock.run(module, Policy.defaults(), Stdio.discard(), ids);
                store.recordRun(trail, ids.last, o, start, Instant.now(), null, null);
            }
        }
        while (true) {
            TestRuns.synthesize(trail, System.currentTimeMillis(), 333);
        }
    }
}
