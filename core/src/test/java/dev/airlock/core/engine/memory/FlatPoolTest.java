package dev.airlock.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The pool of flat arrays: what it keeps and drops; a memory that takes a used array writes every
 * byte of it before the guest reads any; a released memory is empty; which restored memories go
 * flat at once.
 */
class FlatPoolTest {
    private static final int PAGE = 65536;
    private static final int MIB = 1 << 20;

    @Test
    void keepsArraysOfAtLeastHalfAMebibyteWithinItsCapacityDroppingTheOldest() {
        FlatPool pool = new FlatPool(4 * MIB);
        pool.give(new byte[FlatPool.MIN_BYTES - 1]);
        pool.give(new byte[5 * MIB]);
        assertThat(pool.heldBytes()).isZero();
        byte[] a = new byte[MIB];
        byte[] b = new byte[2 * MIB];
        byte[] c = new byte[MIB];
        pool.give(a);
        pool.give(b);
        pool.give(c);
        assertThat(pool.heldBytes()).isEqualTo(4 * MIB);
        byte[] d = new byte[MIB];
        pool.give(d); // a, the oldest, makes room
        assertThat(pool.count(MIB)).isEqualTo(2);
        assertThat(pool.take(MIB)).isSameAs(d); // the newest of that size first
        assertThat(pool.take(MIB)).isSameAs(c);
        assertThat(pool.take(MIB)).isNull();
        assertThat(pool.take(2 * MIB - 1)).isNull(); // exactly the length asked for
        assertThat(pool.take(2 * MIB)).isSameAs(b);
        assertThat(pool.heldBytes()).isZero();
        assertThat(new FlatPool(0).take(MIB)).isNull();
        FlatPool none = new FlatPool(0);
        none.give(new byte[MIB]);
        assertThat(none.heldBytes()).isZero();
    }

    @Test
    void keepsAtMostItsNumberOfArrays() {
        FlatPool pool = new FlatPool(1L << 40);
        for (int i = 0; i < FlatPool.MAX_ARRAYS + 5; i++) {
            pool.give(new byte[FlatPool.MIN_BYTES]);
        }
        assertThat(pool.count(FlatPool.MIN_BYTES)).isEqualTo(FlatPool.MAX_ARRAYS);
    }

    @Test
    void aMemoryGoingFlatInAUsedArrayWritesEveryByteOfIt() {
        int pages = 23; // a size no other test's memory has, so the array comes back here
        int bytes = pages * PAGE;
        CowMemory first = new CowMemory(new MemoryLimits(pages, pages), 0);
        first.writeByte(0, (byte) 0x5A); // goes flat
        first.fill((byte) 0x5A, 0, bytes); // every byte a secret
        assertThat(first.isFlat()).isTrue();
        byte[] array = first.flat;
        int before = FlatPool.SHARED.count(bytes);
        first.release();
        assertThat(FlatPool.SHARED.count(bytes)).isEqualTo(before + 1);

        // a snapshot's chunks: data in some, the shared zero chunk in the others
        byte[][] chunks = new byte[pages * ChunkTable.PER_PAGE][];
        Arrays.fill(chunks, ChunkTable.ZERO);
        byte[] data = new byte[ChunkTable.CHUNK];
        Arrays.fill(data, (byte) 7);
        chunks[3] = data;
        chunks[chunks.length - 1] = data;
        CowMemory next = new CowMemory(new MemoryLimits(0, pages));
        next.adopt(chunks);
        assertThat(next.isFlat()).isFalse();
        assertThat(next.read(0)).isZero(); // the first access: flat at once, in that array
        assertThat(next.isFlat()).isTrue();
        assertThat(next.flat).isSameAs(array);
        byte[] expected = new byte[bytes];
        System.arraycopy(data, 0, expected, 3 * ChunkTable.CHUNK, data.length);
        System.arraycopy(data, 0, expected, bytes - data.length, data.length);
        assertThat(next.readBytes(0, bytes)).isEqualTo(expected);
    }

    @Test
    void aFlatMemoryGrowsIntoAUsedArrayWithItsNewPagesZeroAndGivesItsOldOneBack() {
        int pages = 25; // sizes no other test's memory has
        CowMemory other = new CowMemory(new MemoryLimits(pages + 1, pages + 1), 0);
        other.writeByte(0, (byte) 0x5A);
        other.fill((byte) 0x5A, 0, (pages + 1) * PAGE); // a secret in every byte
        byte[] used = other.flat;
        other.release();

        CowMemory m = new CowMemory(new MemoryLimits(pages, pages + 1), 0);
        m.writeByte(0, (byte) 1);
        m.fill((byte) 7, 0, pages * PAGE);
        byte[] before = m.flat;
        int kept = FlatPool.SHARED.count(pages * PAGE);
        assertThat(m.grow(1)).isEqualTo(pages);
        assertThat(m.isFlat()).isTrue();
        assertThat(m.flat).isSameAs(used);
        assertThat(FlatPool.SHARED.count(pages * PAGE)).isEqualTo(kept + 1); // its old array
        byte[] expected = new byte[(pages + 1) * PAGE];
        Arrays.fill(expected, 0, pages * PAGE, (byte) 7);
        assertThat(m.readBytes(0, expected.length)).isEqualTo(expected);
        assertThat(FlatPool.SHARED.take(pages * PAGE)).isSameAs(before);
    }

    @Test
    void aReleasedMemoryIsEmptyAndEveryAccessTraps() {
        CowMemory m = new CowMemory(new MemoryLimits(2, 4), 0);
        m.writeI32(8, 42);
        assertThat(m.isFlat()).isTrue();
        m.release();
        assertThat(m.isFlat()).isFalse();
        assertThat(m.pages()).isZero();
        assertThat(CowMemoryTest.failure(() -> m.readInt(8))).isNotNull();
        assertThat(CowMemoryTest.failure(() -> m.writeI32(8, 1))).isNotNull();
        assertThat(CowMemoryTest.failure(() -> m.readBytes(0, 4))).isNotNull();
        assertThat(m.isFlat()).isFalse();
        CowMemory chunks = new CowMemory(new MemoryLimits(2, 4), -1);
        chunks.writeI32(8, 42);
        chunks.release();
        assertThat(CowMemoryTest.failure(() -> chunks.readInt(8))).isNotNull();
    }

    @Test
    void aRestoredMemoryOfAtMostEightMebibytesGoesFlatAtItsFirstAccess() {
        assertThat(FlatTable.DEFAULT_FLAT_RESTORE).isEqualTo(8 * MIB);
        assertThat(restored(8 * MIB / PAGE).isFlat()).isTrue();
        assertThat(restored(8 * MIB / PAGE + 1).isFlat()).isFalse(); // chunk mode, its budget
        CowMemory never = new CowMemory(new MemoryLimits(0, 4), -1);
        never.adopt(zeros(4));
        never.read(0);
        assertThat(never.isFlat()).isFalse(); // a memory kept in chunks stays there
    }

    private static CowMemory restored(int pages) {
        CowMemory m = new CowMemory(new MemoryLimits(0, pages));
        m.adopt(zeros(pages));
        m.read(0);
        return m;
    }

    private static byte[][] zeros(int pages) {
        byte[][] chunks = new byte[pages * ChunkTable.PER_PAGE][];
        Arrays.fill(chunks, ChunkTable.ZERO);
        return chunks;
    }
}
