package dev.airlock.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.CallResult;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.Limits;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.testing.Guests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hostile guest fills its whole memory with a secret and its instance is closed, so that its flat
 * array goes to the pool; the next guest, restored from a snapshot of the same size, goes flat in
 * that array and scans every byte of its memory for the secret: it finds only the snapshot's bytes.
 */
class ReusedFlatArrayTest {
    private static final int PAGES = 21; // 1.3 MiB: pooled; a size only this test uses
    private static final int BYTES = PAGES * 65536;

    private static final String WAT =
            "(module"
                    + " (import \"host\" \"block\" (func $block))"
                    + " (memory (export \"memory\") "
                    + PAGES
                    + " "
                    + PAGES
                    + ")"
                    + " (data (i32.const 1024) \"snapshot\")"
                    + " (func (export \"spill\") (param $v i32)"
                    + "  (memory.fill (i32.const 0) (local.get $v) (i32.const "
                    + BYTES
                    + ")))"
                    // how many bytes of the whole memory are $v
                    + " (func (export \"count\") (param $v i32) (result i32)"
                    + "  (local $i i32) (local $n i32)"
                    + "  (block $done (loop $l"
                    + "   (br_if $done (i32.ge_u (local.get $i) (i32.const "
                    + BYTES
                    + ")))"
                    + "   (if (i32.eq (i32.load8_u (local.get $i)) (local.get $v))"
                    + "    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))"
                    + "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                    + "   (br $l)))"
                    + "  (local.get $n))"
                    // blocks in the host, then writes its memory
                    + " (func (export \"stuck\")"
                    + "  (call $block) (i32.store8 (i32.const 0) (i32.const 9)))"
                    + " (func (export \"byte\") (param i32) (result i32)"
                    + "  (i32.load8_u (local.get 0))))";

    @Test
    void theNextGuestInAReusedArraySeesOnlyItsSnapshot() throws Exception {
        GuestModule module = Guests.AIRLOCK.load(Guests.wat(WAT));
        Snapshot snapshot = freshSnapshot(module);
        for (int round = 0; round < 3; round++) {
            int secret = 0x5A + round;
            try (GuestInstance hostile = instance(module, snapshot)) {
                call(hostile, "spill", secret);
                assertThat(call(hostile, "count", secret)).isEqualTo(BYTES);
            }
            int kept = FlatPool.SHARED.count(BYTES);
            assertThat(kept).isPositive(); // the hostile guest's array among them
            try (GuestInstance next = instance(module, snapshot)) {
                assertThat(call(next, "count", secret)).isZero();
                assertThat(FlatPool.SHARED.count(BYTES)).isEqualTo(kept - 1); // taken again
                assertThat(call(next, "count", 0)).isEqualTo(BYTES - "snapshot".length());
                assertThat(call(next, "byte", 1024)).isEqualTo('s');
            }
        }
    }

    /**
     * A guest still running when its call gives up (it did not stop within the grace time after its
     * time limit: its host call ignores interrupts) keeps its array when its instance is closed: it
     * writes to it afterwards, so no other memory may get it.
     */
    @Test
    void aGuestStillRunningWhenItsInstanceClosesKeepsItsArray() throws Exception {
        GuestModule module = Guests.AIRLOCK.load(Guests.wat(WAT));
        Snapshot snapshot = freshSnapshot(module);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch wrote = new CountDownLatch(1);
        Policy shortTime =
                Policy.builder()
                        .limits(Limits.builder().timeout(Duration.ofMillis(100)).build())
                        .build();
        GuestInstance stuck =
                Guests.AIRLOCK.restore(
                        snapshot,
                        module,
                        shortTime,
                        InstanceSetup.builder().link(blocking(release, wrote)).build());
        try {
            assertThat(call(stuck, "byte", 1024)).isEqualTo('s'); // flat now
            int kept = FlatPool.SHARED.count(BYTES);
            CallResult r = stuck.call("stuck", Stdio.discard());
            assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
            stuck.close();
            assertThat(FlatPool.SHARED.count(BYTES)).isEqualTo(kept); // not given back
        } finally {
            release.countDown();
        }
        assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(FlatPool.SHARED.count(BYTES)).isLessThanOrEqualTo(FlatPool.MAX_ARRAYS);
    }

    /** host.block: waits for {@code release} whatever interrupts come, then counts down. */
    private static LinkedImport blocking(CountDownLatch release, CountDownLatch done) {
        return new LinkedImport(
                "host",
                "block",
                List.of(),
                List.of(),
                (guest, args) -> {
                    boolean interrupted = false;
                    while (true) {
                        try {
                            release.await();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    done.countDown();
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
    }

    /** A snapshot of a fresh instance: its data segment, zeros elsewhere. */
    private static Snapshot freshSnapshot(GuestModule module) throws ModuleRejectedException {
        try (GuestInstance fresh = instance(module, null)) {
            return fresh.snapshot();
        }
    }

    private static GuestInstance instance(GuestModule module, Snapshot from)
            throws ModuleRejectedException {
        InstanceSetup setup =
                InstanceSetup.builder()
                        .link(blocking(new CountDownLatch(0), new CountDownLatch(1)))
                        .build();
        return from == null
                ? Guests.AIRLOCK.instantiate(module, Policy.defaults(), setup)
                : Guests.AIRLOCK.restore(from, module, Policy.defaults(), setup);
    }

    private static long call(GuestInstance g, String export, long... args) {
        CallResult r = g.call(export, Stdio.discard(), args);
        assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
        return r.results().length == 0 ? 0 : r.results()[0];
    }
}
