package dev.airlock.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The copy-on-write memory against Chicory's own, operation by operation on random addresses
 * (values straddling pages, out of bounds, overlapping copies, growth), and the sharing itself: a
 * snapshot's pages never change whatever the instances restored from it write.
 */
class CowMemoryTest {
    private static final int PAGE = Memory.PAGE_SIZE;

    @Test
    void behavesLikeChicorysMemoryOnRandomOperations() {
        Random r = new Random(42);
        for (int round = 0; round < 20; round++) {
            Memory ref = new ByteArrayMemory(new MemoryLimits(2, 6));
            CowMemory cow = new CowMemory(new MemoryLimits(2, 6));
            List<byte[][]> shared = new ArrayList<>();
            List<byte[]> sharedCopies = new ArrayList<>();
            for (int op = 0; op < 4_000; op++) {
                if (op % 500 == 0) { // share mid-way: later writes must copy
                    byte[][] pages = cow.share();
                    shared.add(pages);
                    sharedCopies.add(flatten(pages));
                }
                step(r, ref, cow);
            }
            assertThat(cow.pages()).isEqualTo(ref.pages());
            int bytes = ref.pages() * PAGE;
            assertThat(cow.readBytes(0, bytes)).isEqualTo(ref.readBytes(0, bytes));
            for (int i = 0; i < shared.size(); i++) {
                assertThat(flatten(shared.get(i))).isEqualTo(sharedCopies.get(i));
            }
        }
    }

    private static void step(Random r, Memory ref, Memory cow) {
        int size = ref.pages() * PAGE;
        int addr = r.nextInt(10) == 0 ? size - r.nextInt(12) : r.nextInt(size + 16);
        if (r.nextInt(50) == 0) {
            addr = -r.nextInt(100) - 1;
        }
        int a = addr;
        long v = r.nextLong();
        switch (r.nextInt(14)) {
            case 0 -> same(() -> ref.writeByte(a, (byte) v), () -> cow.writeByte(a, (byte) v));
            case 1 -> same(() -> ref.writeShort(a, (short) v), () -> cow.writeShort(a, (short) v));
            case 2 -> same(() -> ref.writeI32(a, (int) v), () -> cow.writeI32(a, (int) v));
            case 3 -> same(() -> ref.writeLong(a, v), () -> cow.writeLong(a, v));
            case 4 -> same(() -> ref.writeF64(a, v * 0.5), () -> cow.writeF64(a, v * 0.5));
            case 5 -> same(() -> ref.writeF32(a, v * 0.25f), () -> cow.writeF32(a, v * 0.25f));
            case 6 -> sameValue(() -> ref.readLong(a), () -> cow.readLong(a));
            case 7 -> sameValue(() -> (long) ref.readInt(a), () -> (long) cow.readInt(a));
            case 8 -> sameValue(() -> (long) ref.readShort(a), () -> (long) cow.readShort(a));
            case 9 -> {
                int n = r.nextInt(3 * PAGE);
                byte fill = (byte) v;
                same(() -> ref.fill(fill, a, a + n), () -> cow.fill(fill, a, a + n));
            }
            case 10 -> {
                int n = r.nextInt(3 * PAGE);
                int src = Math.max(0, a + r.nextInt(2 * PAGE) - PAGE);
                same(() -> ref.copy(a, src, n), () -> cow.copy(a, src, n));
            }
            case 11 -> {
                byte[] data = new byte[r.nextInt(2 * PAGE)];
                r.nextBytes(data);
                same(() -> ref.write(a, data), () -> cow.write(a, data));
            }
            case 12 -> {
                int n = r.nextInt(PAGE * 2);
                sameValue(
                        () -> (long) java.util.Arrays.hashCode(ref.readBytes(a, n)),
                        () -> (long) java.util.Arrays.hashCode(cow.readBytes(a, n)));
            }
            default -> {
                int by = r.nextInt(3);
                assertThat(cow.grow(by)).isEqualTo(ref.grow(by));
            }
        }
    }

    @Test
    void forksShareUntouchedPagesAndCopyOnlyWrittenOnes() {
        CowMemory parent = new CowMemory(new MemoryLimits(0, 1000));
        parent.grow(960); // 60 MiB
        for (int p = 0; p < 960; p++) {
            parent.writeLong(p * PAGE, p);
        }
        byte[][] snapshot = parent.share();
        assertThat(parent.ownedBytes()).isZero();

        CowMemory a = new CowMemory(new MemoryLimits(0, 1000));
        CowMemory b = new CowMemory(new MemoryLimits(0, 1000));
        a.adopt(snapshot);
        b.adopt(snapshot);
        a.writeI32(5 * PAGE + 8, 77);
        b.fill((byte) 1, 7 * PAGE, 9 * PAGE);
        parent.writeI32(5 * PAGE + 8, 99);

        assertThat(a.ownedBytes()).isEqualTo(CowMemory.CHUNK); // one chunk of the page
        assertThat(b.ownedBytes()).isEqualTo(2L * PAGE); // two whole pages filled
        assertThat(a.readInt(5 * PAGE + 8)).isEqualTo(77);
        assertThat(b.readInt(5 * PAGE + 8)).isZero();
        assertThat(parent.readInt(5 * PAGE + 8)).isEqualTo(99);
        assertThat(a.readLong(7 * PAGE)).isEqualTo(7);
        assertThat(b.read(7 * PAGE)).isEqualTo((byte) 1);
        int perPage = PAGE / CowMemory.CHUNK;
        assertThat(snapshot[5 * perPage][8]).isZero();
        assertThat(snapshot[7 * perPage][0]).isEqualTo((byte) 7);
    }

    @Test
    void grownPagesReadAsZeroAndCostNothingUntilWritten() {
        CowMemory m = new CowMemory(new MemoryLimits(1, 2000));
        assertThat(m.grow(1500)).isEqualTo(1);
        assertThat(m.ownedBytes()).isZero();
        assertThat(m.readLong(1200 * PAGE)).isZero();
        m.writeByte(1200 * PAGE, (byte) 3);
        assertThat(m.ownedBytes()).isEqualTo(CowMemory.CHUNK);
        assertThat(m.readLong(1199 * PAGE)).isZero();
        assertThat(m.grow(600)).isEqualTo(-1);
        assertThat(m.grow(-1)).isEqualTo(-1);
    }

    @Test
    void outOfBoundsAccessesTrapLikeChicorysMemory() {
        CowMemory m = new CowMemory(new MemoryLimits(1, 1));
        assertThatThrownBy(() -> m.writeI32(PAGE - 2, 1))
                .isInstanceOf(WasmRuntimeException.class)
                .hasMessageContaining("out of bounds memory access");
        assertThatThrownBy(() -> m.writeByte(PAGE, (byte) 1))
                .isInstanceOf(WasmRuntimeException.class)
                .hasMessageContaining("out of bounds memory access");
        assertThatThrownBy(() -> m.readLong(-8))
                .isInstanceOf(WasmRuntimeException.class)
                .hasMessageContaining("out of bounds memory access");
        assertThatThrownBy(() -> m.adopt(new byte[2 * PAGE / CowMemory.CHUNK][]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CowMemory(new MemoryLimits(1, 2, true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void same(Runnable ref, Runnable cow) {
        Throwable expected = failure(ref);
        Throwable actual = failure(cow);
        if (expected == null) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual).isNotNull().hasSameClassAs(expected);
        }
    }

    private static void sameValue(
            java.util.function.LongSupplier ref, java.util.function.LongSupplier cow) {
        long[] values = new long[2];
        same(() -> values[0] = ref.getAsLong(), () -> values[1] = cow.getAsLong());
        assertThat(values[1]).isEqualTo(values[0]);
    }

    /** The exception {@code r} throws, or null (shared with FlatModeTest). */
    static Throwable failure(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** The chunks one after another (shared with FlatModeTest). */
    static byte[] flatten(byte[][] chunks) {
        byte[] all = new byte[chunks.length * CowMemory.CHUNK];
        for (int i = 0; i < chunks.length; i++) {
            System.arraycopy(chunks[i], 0, all, i * CowMemory.CHUNK, CowMemory.CHUNK);
        }
        return all;
    }
}
