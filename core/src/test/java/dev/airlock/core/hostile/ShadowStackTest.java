package dev.airlock.core.hostile;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.CallResult;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A guest laid out as LLVM lays out C programs (its first global is the stack pointer, the stack
 * sits right above its static data and grows down into it) recurses with 1 KiB frames, the way deep
 * C recursion does. Left where the linker put it, the stack runs over the "static data" and the
 * guest goes on with corrupted state. With {@link InstanceSetup.Builder#shadowStack} the stack is
 * moved: the same depth then works, the data stays intact, and runaway recursion ends as a {@code
 * stack} limit when it reaches the guard pages (the instance is then unusable, as after any
 * unfinished call, but the data below is untouched), also after a snapshot is restored.
 */
class ShadowStackTest {
    // static data at 0..1024 with a canary at its end; stack of 8 KiB above it (top 9216)
    static final String WAT =
            "(module"
                    + " (global $sp (mut i32) (i32.const 9216))"
                    + " (memory 1 1000)"
                    + " (data (i32.const 1016) \"CANARY!!\")"
                    + " (func $down (export \"down\") (param $n i32)"
                    + "  (local $frame i32)"
                    + "  (local.set $frame (i32.sub (global.get $sp) (i32.const 1024)))"
                    + "  (global.set $sp (local.get $frame))"
                    + "  (i64.store (local.get $frame) (i64.const -1))"
                    + "  (i64.store offset=1016 (local.get $frame) (i64.const -1))"
                    + "  (if (local.get $n) (then (call $down (i32.sub (local.get $n) (i32.const 1)))))"
                    + "  (global.set $sp (i32.add (local.get $frame) (i32.const 1024))))"
                    + " (func (export \"churn\") (param $n i32)" // loads and stores, n of each
                    + "  (loop $l (i64.store (i32.const 2048) (i64.add (i64.load (i32.const 2048))"
                    + "   (i64.const 1))) (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
                    + "   (br_if $l (local.get $n))))"
                    + " (func (export \"canary\") (result i64) (i64.load (i32.const 1016)))"
                    + " (func (export \"sp\") (result i32) (global.get $sp)))";

    private static final long CANARY = 0x21215952414e4143L; // "CANARY!!" little-endian

    private static GuestInstance instance(long stack) throws Exception {
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        return Guests.AIRLOCK.instantiate(
                m, Policy.defaults(), InstanceSetup.builder().shadowStack(stack).build());
    }

    private static CallResult call(GuestInstance g, String export, long... args) {
        return g.call(export, Stdio.discard(), args);
    }

    @Test
    void withoutMovingDeepRecursionSilentlyOverwritesStaticData() throws Exception {
        try (GuestInstance g = instance(0)) {
            assertThat(call(g, "down", 8).outcome().isOk()).isTrue(); // 9 frames, 9 KiB
            assertThat(call(g, "canary").results()[0]).isNotEqualTo(CANARY);
        }
    }

    @Test
    void movedStackRunsDeepRecursionAndKeepsTheData() throws Exception {
        try (GuestInstance g = instance(1L << 20)) {
            assertThat(call(g, "sp").results()[0] % Limits.PAGE).isZero();
            CallResult r = call(g, "down", 1000); // about 1 MiB
            assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
            assertThat(call(g, "canary").results()[0]).isEqualTo(CANARY);
        }
    }

    @Test
    void runawayRecursionEndsAsAStackLimitAtTheGuardPages() throws Exception {
        try (GuestInstance g = instance(1L << 20)) {
            CallResult r = call(g, "down", 100_000);
            assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
            assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.STACK);
            assertThat(r.outcome().message()).contains("C stack of 1MiB");
            assertThat(g.read(1016, 8)).isEqualTo("CANARY!!".getBytes(US_ASCII));
        }
    }

    /**
     * After millions of loads and stores the memory has gone flat (one array, see FlatTable), where
     * the guard pages are plain memory (a stray store there no longer traps); the stack limit still
     * holds, through the check of every write of the stack pointer.
     */
    @Test
    void runawayRecursionEndsAsAStackLimitAfterTheMemoryWentFlat() throws Exception {
        try (GuestInstance g = instance(1L << 20)) {
            long sp = call(g, "sp").results()[0];
            CallResult churn = call(g, "churn", 3_000_000);
            assertThat(churn.outcome().isOk()).as(churn.outcome().message()).isTrue();
            g.write(
                    (int) sp - (1 << 20) - 8,
                    new byte[8]); // the guard pages' last bytes: plain now
            CallResult r = call(g, "down", 100_000);
            assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.STACK);
            assertThat(r.outcome().message()).contains("C stack of 1MiB");
            assertThat(g.read(1016, 8)).isEqualTo("CANARY!!".getBytes(US_ASCII));
        }
    }

    @Test
    void aRestoredSnapshotKeepsTheMovedStackAndItsGuard() throws Exception {
        Snapshot s;
        long sp;
        try (GuestInstance g = instance(1L << 20)) {
            assertThat(call(g, "down", 100).outcome().isOk()).isTrue();
            sp = call(g, "sp").results()[0];
            s = g.snapshot();
        }
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        s.writeTo(saved);
        Snapshot loaded = Snapshot.readFrom(new ByteArrayInputStream(saved.toByteArray()));
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        for (Snapshot from : new Snapshot[] {s, loaded}) {
            try (GuestInstance r =
                    Guests.AIRLOCK.restore(
                            from,
                            m,
                            Policy.defaults(),
                            InstanceSetup.builder().shadowStack(1L << 20).build())) {
                assertThat(call(r, "sp").results()[0]).isEqualTo(sp); // not moved twice
                assertThat(r.memoryBytes()).isEqualTo(s.memoryBytes());
                assertThat(call(r, "down", 1000).outcome().isOk()).isTrue();
                CallResult over = call(r, "down", 100_000);
                assertThat(over.outcome().limitKind()).isEqualTo(LimitKind.STACK);
                assertThat(r.read(1016, 8)).isEqualTo("CANARY!!".getBytes(US_ASCII));
            }
        }
    }

    @Test
    void notMovedWhenTheMemoryCannotGrowThatMuch() throws Exception {
        Policy small =
                Policy.builder().limits(Limits.builder().memoryBytes(2L << 20).build()).build();
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        try (GuestInstance g =
                Guests.AIRLOCK.instantiate(
                        m, small, InstanceSetup.builder().shadowStack(4L << 20).build())) {
            assertThat(call(g, "sp").results()[0]).isEqualTo(9216);
            assertThat(g.memoryBytes()).isEqualTo(Limits.PAGE);
        }
    }
}
