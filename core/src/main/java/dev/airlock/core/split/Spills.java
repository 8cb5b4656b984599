package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutable globals, appended after the module's own, that carry locals into an outlined function
 * when they would not fit its parameters (the JVM's compilers refuse methods with too many): the
 * caller sets them just before the call and the callee reads them first thing, so nothing can run
 * in between and recursion is safe.
 */
final class Spills {
    private final int firstIndex;
    private final List<Byte> types = new ArrayList<>();
    private final List<List<Integer>> pools = new ArrayList<>();
    private final byte[] poolTypes = {0x7F, 0x7E, 0x7D, 0x7C};

    /**
     * @param firstIndex the index the first new global gets (imported plus defined globals)
     */
    Spills(int firstIndex) {
        this.firstIndex = firstIndex;
        for (int i = 0; i < poolTypes.length; i++) {
            pools.add(new ArrayList<>());
        }
    }

    /** The index of the first spill global. */
    int base() {
        return firstIndex;
    }

    static boolean spillable(byte t) {
        return t == 0x7F || t == 0x7E || t == 0x7D || t == 0x7C;
    }

    /** Globals for these types, in order: the i-th of a type gets that type's i-th global. */
    int[] globals(byte[] wanted) {
        int[] out = new int[wanted.length];
        int[] seen = new int[poolTypes.length];
        for (int i = 0; i < wanted.length; i++) {
            int p = pool(wanted[i]);
            List<Integer> pool = pools.get(p);
            if (seen[p] == pool.size()) {
                pool.add(firstIndex + types.size());
                types.add(wanted[i]);
            }
            out[i] = pool.get(seen[p]++);
        }
        return out;
    }

    private int pool(byte t) {
        for (int i = 0; i < poolTypes.length; i++) {
            if (poolTypes[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("not spillable");
    }

    /** How many globals were added. */
    int count() {
        return types.size();
    }

    /** Appends the added globals' entries: mutable, zero. */
    void write(ByteWriter w) {
        for (byte t : types) {
            w.u8(t).u8(0x01);
            switch (t) {
                case 0x7F:
                    w.u8(0x41).u8(0);
                    break;
                case 0x7E:
                    w.u8(0x42).u8(0);
                    break;
                case 0x7D:
                    w.u8(0x43).bytes(new byte[4], 0, 4);
                    break;
                default:
                    w.u8(0x44).bytes(new byte[8], 0, 8);
                    break;
            }
            w.u8(0x0B);
        }
    }
}
