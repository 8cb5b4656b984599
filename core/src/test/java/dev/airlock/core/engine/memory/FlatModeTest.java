package dev.airlock.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The flat mode of {@link CowMemory} against chunk mode and Chicory's memory: every operation on
 * random addresses (straddling chunks, the end, guard chunks, out of bounds) gives the same value
 * or the same exception with the same message, while the memory goes flat, is shared and goes flat
 * again; snapshots taken from a flat memory never change afterwards.
 */
class FlatModeTest {
    private static final int PAGE = Memory.PAGE_SIZE;
    private static final int CHUNK = CowMemory.CHUNK;

    @Test
    void flatModeBehavesLikeChunkModeAndChicorysMemory() {
        Random r = new Random(7);
        for (int round = 0; round < 24; round++) {
            long flatAfter = round % 3 == 0 ? 0 : r.nextInt(3_000);
            Memory ref = new ByteArrayMemory(new MemoryLimits(2, 7));
            CowMemory chunks = new CowMemory(new MemoryLimits(2, 7), -1);
            CowMemory flat = new CowMemory(new MemoryLimits(2, 7), flatAfter);
            int flats = 0;
            for (int op = 0; op < 5_000; op++) {
                if (r.nextInt(400) == 0) {
                    byte[][] snapshot = flat.share(); // back to chunks
                    byte[] copy = CowMemoryTest.flatten(snapshot);
                    flat.writeLong(r.nextInt(flat.pages() * PAGE - 8), -1L);
                    assertThat(flat.isFlat()).isFalse();
                    flat.flatten();
                    flat.writeLong(r.nextInt(flat.pages() * PAGE - 8), -2L);
                    assertThat(CowMemoryTest.flatten(snapshot)).isEqualTo(copy);
                    syncFrom(flat, ref, chunks); // the three in step again
                }
                flats += flat.isFlat() ? 1 : 0;
                step(r, ref, chunks, flat);
            }
            assertThat(flats).isPositive();
            assertThat(flat.pages()).isEqualTo(ref.pages()).isEqualTo(chunks.pages());
            int bytes = ref.pages() * PAGE;
            assertThat(flat.readBytes(0, bytes))
                    .isEqualTo(ref.readBytes(0, bytes))
                    .isEqualTo(chunks.readBytes(0, bytes));
        }
    }

    @Test
    void guardedMemoriesGoFlatOnlyWhereTheStackPointerIsCheckedAndStillCatchOverflows() {
        CowMemory unchecked = guarded(false);
        assertThat(unchecked.flatten()).isFalse();
        assertThat(unchecked.isFlat()).isFalse();

        CowMemory chunks = guarded(true);
        CowMemory flat = guarded(true);
        assertThat(flat.flatten()).isTrue();
        int guard = 3 * PAGE; // guard pages 3..4, the stack above
        for (int sp : new int[] {guard, guard + 8, guard + 2 * PAGE - 16, guard + 2 * PAGE - 1}) {
            for (CowMemory m : new CowMemory[] {chunks, flat}) {
                assertThat(CowMemoryTest.failure(() -> m.stackPointer(sp)))
                        .isInstanceOf(ShadowStackOverflow.class)
                        .hasMessageContaining("limit exceeded: stack (test)");
            }
        }
        for (int sp : new int[] {0, guard - 16, guard - 1, guard + 2 * PAGE, 6 * PAGE - 16, -16}) {
            chunks.stackPointer(sp);
            flat.stackPointer(sp);
        }
        // a stray access into the guard pages: a trap in chunk mode, plain memory in flat mode
        assertThat(CowMemoryTest.failure(() -> chunks.writeI32(guard + 100, 1)))
                .isInstanceOf(ShadowStackOverflow.class);
        flat.writeI32(guard + 100, 1);
        assertThat(flat.readInt(guard + 100)).isEqualTo(1);
        assertThat(flat.readLong(guard - 8)).isEqualTo(chunks.readLong(guard - 8));
        assertThat(flat.readLong(guard + 2 * PAGE)).isEqualTo(chunks.readLong(guard + 2 * PAGE));

        byte[][] snapshot = flat.share(); // back to chunks: the guard pages are guards again
        assertThat(flat.isFlat()).isFalse();
        assertThat(snapshot[guard / CHUNK]).isSameAs(ChunkTable.ZERO);
        assertThat(CowMemoryTest.failure(() -> flat.readInt(guard + 100)))
                .isInstanceOf(ShadowStackOverflow.class);
        assertThat(flat.readBytes(0, 6 * PAGE)).isEqualTo(chunks.readBytes(0, 6 * PAGE));
    }

    @Test
    void goesFlatAfterItsBudgetAndStaysInChunksForItsSizeAfterSharing() {
        CowMemory m = new CowMemory(new MemoryLimits(1, 10), 100);
        for (int i = 0; i < 100; i++) {
            m.readInt(8 * i);
        }
        assertThat(m.isFlat()).isFalse();
        m.writeI32(4, 42);
        assertThat(m.isFlat()).isTrue();
        assertThat(m.readInt(4)).isEqualTo(42);
        m.share();
        for (int i = 0; i < PAGE - 1; i++) { // at least the memory's size in bytes
            m.read(i);
        }
        assertThat(m.isFlat()).isFalse();
        m.read(0);
        m.read(0);
        assertThat(m.isFlat()).isTrue();
        assertThat(new CowMemory(new MemoryLimits(1, 1), -1).spend()).isFalse();
    }

    @Test
    void aFlatMemoryGrowsByCopyingItsArrayWithinLimitsThenGoesBackToChunks() {
        int first = 600; // 37.5 MiB: growing may copy 300 MiB
        CowMemory m = new CowMemory(new MemoryLimits(first, 2000), 0);
        m.writeLong(first * PAGE - 8, 5);
        assertThat(m.isFlat()).isTrue();
        assertThat(CowMemoryTest.failure(() -> m.readInt(first * PAGE - 2))).isNotNull();
        int last = (int) (ChunkTable.MAX_FLAT_GROWTH / PAGE);
        assertThat(m.grow(last - first)).isEqualTo(first); // one copy of 64 MiB
        assertThat(m.isFlat()).isTrue();
        assertThat(m.readLong(first * PAGE - 8)).isEqualTo(5);
        assertThat(m.readInt(first * PAGE - 2)).isZero(); // in bounds now
        assertThat(m.readLong(last * PAGE - 8)).isZero();
        assertThat(CowMemoryTest.failure(() -> m.readInt(last * PAGE))).isNotNull();
        m.writeLong(last * PAGE - 8, 6);
        assertThat(m.grow(1)).isEqualTo(last); // past the limit
        assertThat(m.isFlat()).isFalse();
        assertThat(m.readLong(first * PAGE - 8)).isEqualTo(5);
        assertThat(m.readLong(last * PAGE - 8)).isEqualTo(6);
        assertThat(m.readLong((last + 1) * PAGE - 8)).isZero();
        for (int i = 0; i < 1000; i++) {
            m.read(i); // in chunks for good: growing it flat would copy too much
        }
        assertThat(m.isFlat()).isFalse();
        assertThat(m.flatten()).isTrue(); // above the growth limit, still below MAX_FLAT
    }

    @Test
    void growingPageByPageCopiesAtMostEightTimesTheSizeBeforeGoingBackToChunks() {
        // 5 MiB: growing may copy 40 MiB (640 pages), more than the floor; 81 + ... + 87 = 588
        // pages are copied, 88 more would be over
        growsFlatPageByPageUntil(80, 87);
    }

    @Test
    void aSmallFlatMemoryMayCopyTheFloorWhenItGrows() {
        assertThat(FlatTable.MIN_GROWTH_COPY / PAGE).isEqualTo(512); // 32 MiB, not 8 x 4 pages
        growsFlatPageByPageUntil(4, 31); // copies 5 + 6 + ... + 31 = 486 pages; 32 more: over
    }

    /**
     * A flat memory of {@code first} pages grows a page at a time and stays flat up to {@code last}
     * pages; the next growth still succeeds but sends it back to chunks, its content kept.
     */
    private static void growsFlatPageByPageUntil(int first, int last) {
        CowMemory m = new CowMemory(new MemoryLimits(first, 200), 0);
        m.writeByte(0, (byte) 1);
        assertThat(m.isFlat()).isTrue();
        for (int pages = first; pages < last; pages++) {
            assertThat(m.grow(1)).isEqualTo(pages);
            assertThat(m.isFlat()).isTrue();
        }
        assertThat(m.grow(1)).isEqualTo(last);
        assertThat(m.isFlat()).isFalse();
        assertThat(m.read(0)).isEqualTo((byte) 1);
        assertThat(m.readLong((last + 1) * PAGE - 8)).isZero();
    }

    private static CowMemory guarded(boolean checked) {
        CowMemory m = new CowMemory(new MemoryLimits(6, 8), -1);
        for (int i = 0; i < 6 * PAGE; i += 8) {
            m.writeLong(i, i * 31L);
        }
        m.guard(3, 2, "limit exceeded: stack (test)", checked);
        return m;
    }

    private static void step(Random r, Memory ref, CowMemory chunks, CowMemory flat) {
        int size = ref.pages() * PAGE;
        int a = r.nextInt(8) == 0 ? size - r.nextInt(12) : r.nextInt(size + 16);
        if (r.nextInt(10) == 0) {
            a = (r.nextInt(size / CHUNK) + 1) * CHUNK - r.nextInt(8); // straddling chunks
        }
        if (r.nextInt(60) == 0) {
            a = -r.nextInt(100) - 1;
        }
        int addr = a;
        long v = r.nextLong();
        Function<Memory, Object> op;
        switch (r.nextInt(13)) {
            case 0 -> op = m -> run(() -> m.writeByte(addr, (byte) v));
            case 1 -> op = m -> run(() -> m.writeShort(addr, (short) v));
            case 2 -> op = m -> run(() -> m.writeI32(addr, (int) v));
            case 3 -> op = m -> run(() -> m.writeLong(addr, v));
            case 4 -> op = m -> m.readLong(addr);
            case 5 -> op = m -> m.readInt(addr);
            case 6 -> op = m -> m.readShort(addr);
            case 7 -> op = m -> m.read(addr);
            case 8 -> {
                int n = r.nextInt(2 * PAGE);
                op = m -> run(() -> m.fill((byte) v, addr, addr + n));
            }
            case 9 -> {
                int n = r.nextInt(2 * PAGE);
                int src = Math.max(0, addr + r.nextInt(2 * PAGE) - PAGE);
                op = m -> run(() -> m.copy(addr, src, n));
            }
            case 10 -> {
                byte[] data = new byte[r.nextInt(PAGE)];
                r.nextBytes(data);
                op = m -> run(() -> m.write(addr, data));
            }
            case 11 -> {
                int n = r.nextInt(PAGE);
                op = m -> Arrays.hashCode(m.readBytes(addr, n));
            }
            default -> {
                int by = r.nextInt(3);
                assertThat(flat.grow(by)).isEqualTo(ref.grow(by)).isEqualTo(chunks.grow(by));
                return;
            }
        }
        Object expected = outcome(ref, op);
        Object chunked = outcome(chunks, op);
        Object flatOne = outcome(flat, op);
        assertThat(flatOne).isEqualTo(chunked);
        if (expected instanceof String && !"done".equals(expected)) {
            assertThat(chunked).isInstanceOf(String.class).isNotEqualTo("done"); // both threw
        } else {
            assertThat(chunked).isEqualTo(expected);
        }
    }

    private static Object run(Runnable r) {
        r.run();
        return "done";
    }

    /** The value read, "done", or the exception's class and message. */
    private static Object outcome(Memory m, Function<Memory, Object> op) {
        Object[] box = new Object[1];
        Throwable e = CowMemoryTest.failure(() -> box[0] = op.apply(m));
        return e == null ? box[0] : e.getClass().getName() + ": " + e.getMessage();
    }

    private static void syncFrom(CowMemory flat, Memory ref, CowMemory chunks) {
        int bytes = flat.pages() * PAGE;
        byte[] all = flat.readBytes(0, bytes);
        ref.write(0, all);
        chunks.write(0, all);
    }
}
