package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots of long-lived instances: a restore gives back memory (grown past the initial size),
 * globals, tables and files exactly; runs no guest code (the start function is not run again);
 * active data segments stay dropped and passive ones usable; forks are independent.
 */
class SnapshotRestoreTest {
    static final String WAT =
            "(module"
                    + " (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + "  (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (memory (export \"memory\") 1 100)"
                    + " (global $g (mut i32) (i32.const 0))"
                    + " (global $starts (mut i32) (i32.const 0))"
                    + " (table 4 funcref)"
                    + " (elem (i32.const 0) $one)"
                    + " (elem declare func $two)"
                    + " (type $t (func (result i32)))"
                    + " (func $one (result i32) (i32.const 1))"
                    + " (func $two (result i32) (i32.const 2))"
                    + " (data (i32.const 16) \"active\")"
                    + " (data $p \"passive\")"
                    + " (func $start (global.set $starts (i32.add (global.get $starts) (i32.const 1)))"
                    + "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 8))))"
                    + " (start $start)"
                    // change state: global, a byte in grown memory, a table slot
                    + " (func (export \"mutate\")"
                    + "  (global.set $g (i32.const 41))"
                    + "  (drop (memory.grow (i32.const 3)))"
                    + "  (i32.store8 (i32.const 200000) (i32.const 7))"
                    + "  (i32.store8 (i32.const 16) (i32.const 65))"
                    + "  (table.set (i32.const 1) (ref.func $two)))"
                    + " (func (export \"g\") (result i32) (global.get $g))"
                    + " (func (export \"starts\") (result i32) (global.get $starts))"
                    + " (func (export \"pages\") (result i32) (memory.size))"
                    + " (func (export \"byte\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
                    + " (func (export \"slot\") (param i32) (result i32)"
                    + "  (call_indirect (type $t) (local.get 0)))"
                    + " (func (export \"bump\") (global.set $g (i32.add (global.get $g) (i32.const 1))))"
                    + " (func (export \"init_passive\") (memory.init $p (i32.const 300) (i32.const 0) (i32.const 7)))"
                    + " (func (export \"drop_passive\") (data.drop $p))"
                    + " (func (export \"init_active\") (memory.init 0 (i32.const 400) (i32.const 0) (i32.const 1))))";

    static long call(GuestInstance g, String export, long... args) {
        CallResult r = g.call(export, Stdio.discard(), args);
        assertThat(r.outcome().status())
                .as(export + ": " + r.outcome().message())
                .isEqualTo(Status.OK);
        return r.results().length == 0 ? 0 : r.results()[0];
    }

    static GuestInstance fresh() throws ModuleRejectedException {
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        return Guests.AIRLOCK.instantiate(
                m,
                Policy.defaults(),
                InstanceSetup.builder()
                        .singleRoot(true)
                        .file("/data/a.txt", "hello".getBytes())
                        .build());
    }

    static GuestInstance restore(Snapshot s) throws ModuleRejectedException {
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        return Guests.AIRLOCK.restore(
                s, m, Policy.defaults(), InstanceSetup.builder().singleRoot(true).build());
    }

    /** A snapshot of a fresh instance after {@code mutate}. */
    static Snapshot mutated() throws ModuleRejectedException {
        try (GuestInstance g = fresh()) {
            call(g, "mutate");
            return g.snapshot();
        }
    }

    /** {@code s} as {@link Snapshot#writeTo(java.io.OutputStream, boolean)} writes it. */
    static byte[] saved(Snapshot s, boolean compressed) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeTo(out, compressed);
        return out.toByteArray();
    }

    /** Where the uncompressed form's first chunk flag is: after magic, module hash, memory size. */
    static final int FIRST_FLAG = 19 + 2 + 64 + 4;

    /** Asserts that {@code bytes} are refused as a snapshot with a message holding {@code why}. */
    static void assertRefused(byte[] bytes, String why) {
        assertThatThrownBy(() -> Snapshot.readFrom(new java.io.ByteArrayInputStream(bytes)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(why);
    }

    @Test
    void restoreGivesBackEverythingAndRunsNoGuestCode() throws Exception {
        Snapshot s;
        try (GuestInstance g = fresh()) {
            assertThat(call(g, "starts")).isEqualTo(1);
            call(g, "mutate");
            g.writeFile("/data/b.txt", "world".getBytes());
            s = g.snapshot();
        }
        java.util.List<dev.airlock.core.event.Event> events =
                new java.util.concurrent.CopyOnWriteArrayList<>();
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        try (GuestInstance r =
                Guests.AIRLOCK.restore(
                        s,
                        m,
                        Policy.defaults(),
                        InstanceSetup.builder().singleRoot(true).events(events::add).build())) {
            assertThat(events)
                    .as("the start function (which calls fd_write) did not run again")
                    .noneMatch(e -> e instanceof dev.airlock.core.event.HostCallEvent);
            assertThat(call(r, "starts")).isEqualTo(1);
            assertThat(call(r, "g")).isEqualTo(41);
            assertThat(call(r, "pages")).isEqualTo(4);
            assertThat(r.memoryBytes()).isEqualTo(4L * 65536);
            assertThat(call(r, "byte", 200000)).isEqualTo(7);
            assertThat(call(r, "byte", 16)).as("memory, not the data segment").isEqualTo(65);
            assertThat(call(r, "byte", 17)).isEqualTo('c');
            assertThat(call(r, "slot", 0)).isEqualTo(1);
            assertThat(call(r, "slot", 1)).isEqualTo(2);
            assertThat(new String(r.readFile("/data/a.txt"), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
            assertThat(new String(r.readFile("/data/b.txt"), StandardCharsets.UTF_8))
                    .isEqualTo("world");
            // a passive segment is still there; an active one stays dropped
            call(r, "init_passive");
            assertThat(call(r, "byte", 306)).isEqualTo('e');
            CallResult active = r.call("init_active", Stdio.discard());
            assertThat(active.outcome().status()).isEqualTo(Status.TRAP);
        }
    }

    @Test
    void forksAreIndependent() throws Exception {
        Snapshot s = mutated();
        try (GuestInstance a = restore(s);
                GuestInstance b = restore(s)) {
            call(a, "bump");
            call(a, "bump");
            call(b, "bump");
            assertThat(call(a, "g")).isEqualTo(43);
            assertThat(call(b, "g")).isEqualTo(42);
            a.write(200000, new byte[] {9});
            assertThat(call(b, "byte", 200000)).isEqualTo(7);
        }
        try (GuestInstance c = restore(s)) {
            assertThat(call(c, "g")).as("the snapshot itself is unchanged").isEqualTo(41);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSavedSnapshotRestoresTheSame(boolean compressed) throws Exception {
        byte[] saved = saved(mutated(), compressed);
        Snapshot loaded = Snapshot.readFrom(new java.io.ByteArrayInputStream(saved));
        try (GuestInstance r = restore(loaded)) {
            assertThat(call(r, "g")).isEqualTo(41);
            assertThat(call(r, "byte", 200000)).isEqualTo(7);
        }
        // cut anywhere after the header, either form is refused as a snapshot, never half-read
        for (int cut : new int[] {20, saved.length / 3, saved.length / 2}) {
            assertRefused(java.util.Arrays.copyOf(saved, cut), "snapshot");
        }
    }

    @Test
    void theUncompressedFormLeavesZeroChunksOutAndRefusesABadFlag() throws Exception {
        Snapshot s = mutated();
        byte[] saved = saved(s, false);
        // 4 pages, 16 chunks: two written (bytes 16 and 200000), the rest one flag byte each
        assertThat(s.memoryBytes()).isEqualTo(4 * 65536);
        assertThat(saved.length).isBetween(2 * Snapshot.CHUNK_BYTES, 3 * Snapshot.CHUNK_BYTES);
        assertThat(saved[FIRST_FLAG]).isEqualTo((byte) 1);
        assertThat(saved[FIRST_FLAG + 1 + Snapshot.CHUNK_BYTES]).isEqualTo((byte) 0);
        byte[] bad = saved.clone();
        bad[FIRST_FLAG + 1 + Snapshot.CHUNK_BYTES] = 2;
        assertRefused(bad, "corrupt snapshot: chunk flag 2");
        // a header claiming 2 GiB of memory with nothing behind it ends at once, as truncated
        byte[] huge = java.util.Arrays.copyOf(saved, FIRST_FLAG);
        java.nio.ByteBuffer.wrap(huge).putInt(FIRST_FLAG - 4, 32767 * 65536);
        assertRefused(huge, "truncated snapshot");
    }

    @Test
    void theEarlierUncompressedFormWithEveryChunkIsStillRead() throws Exception {
        Snapshot s = mutated();
        byte[] sparse = saved(s, false);
        // the same snapshot as the earlier form wrote it: magic "P", every chunk's bytes, no flags
        ByteArrayOutputStream dense = new ByteArrayOutputStream();
        dense.write("AIRLOCK-SNAPSHOT-P\n".getBytes(StandardCharsets.US_ASCII));
        dense.write(sparse, 19, FIRST_FLAG - 19);
        int at = FIRST_FLAG;
        for (long i = 0; i < s.memoryBytes() / Snapshot.CHUNK_BYTES; i++) {
            if (sparse[at++] == 1) {
                dense.write(sparse, at, Snapshot.CHUNK_BYTES);
                at += Snapshot.CHUNK_BYTES;
            } else {
                dense.write(new byte[Snapshot.CHUNK_BYTES]);
            }
        }
        dense.write(sparse, at, sparse.length - at);
        Snapshot loaded = Snapshot.readFrom(new java.io.ByteArrayInputStream(dense.toByteArray()));
        try (GuestInstance r = restore(loaded)) {
            assertThat(call(r, "g")).isEqualTo(41);
            assertThat(call(r, "byte", 200000)).isEqualTo(7);
            assertThat(call(r, "byte", 16)).isEqualTo(65);
        }
    }

    @Test
    void aSnapshotAboveTheMemoryLimitIsRefused() throws Exception {
        Snapshot s = mutated();
        GuestModule m = Guests.AIRLOCK.load(Guests.wat(WAT));
        Policy small =
                Policy.builder().limits(Limits.builder().memoryBytes(2 * 65536).build()).build();
        assertThatThrownBy(() -> Guests.AIRLOCK.restore(s, m, small, InstanceSetup.defaults()))
                .isInstanceOf(ModuleRejectedException.class);
    }

    @Test
    void aSnapshotOfAnotherModuleIsRefused() throws Exception {
        Snapshot s;
        try (GuestInstance g = fresh()) {
            s = g.snapshot();
        }
        GuestModule other = Guests.AIRLOCK.load(Guests.wat("(module (memory 1))"));
        assertThatThrownBy(
                        () ->
                                Guests.AIRLOCK.restore(
                                        s, other, Policy.defaults(), InstanceSetup.defaults()))
                .isInstanceOf(ModuleRejectedException.class);
    }
}
