package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteWriter;
import java.util.List;

/**
 * The values one piece passes, for {@link Pieces#outline}: which of the locals its region uses are
 * live at the region's start (the piece's parameters, or values spilled through globals once the
 * parameters would take too many JVM slots), which it writes that are live after it (the piece's
 * results), and where each used local lands among the piece's own locals.
 *
 * <p>Every loop here runs over the locals the region uses, not over all the function's, and each is
 * a small method of its own: inside {@code outline} they made the JIT replace the whole outliner on
 * the stack again and again (C2 compiles of 0.3 to 1 s each, while guests waited).
 */
final class PieceInterface {
    private final int[] touched;

    /** Per local: live at the region's start and used by it. */
    final boolean[] liveIn;

    /** Per local: written by the region and live after it, or where it branches to. */
    final boolean[] liveOut;

    private final boolean[] spilled;

    /** Per used local: its index among the piece's locals (after {@link #layout}). */
    final int[] map;

    /** The types of the parameters, spilled values, results and the piece's own locals. */
    final ByteWriter paramTypes = new ByteWriter(16);

    final ByteWriter spillTypes = new ByteWriter(16);
    final ByteWriter resultTypes = new ByteWriter(16);
    final ByteWriter ownTypes = new ByteWriter(16);

    /** The first of the piece's locals past those mapped (after {@link #layout}). */
    int firstFree;

    private PieceInterface(int[] touched, int total) {
        this.touched = touched;
        liveIn = new boolean[total];
        liveOut = new boolean[total];
        spilled = new boolean[total];
        map = new int[total];
    }

    /**
     * Which locals region {@code r} passes in and out; null when they number more than {@code max}
     * together. Without liveness ({@code lv} null) every used local is passed in and every written
     * one out.
     *
     * @param lvLocals the locals {@code lv} knows (later ones are temporaries, dead at its edges)
     */
    static PieceInterface of(
            RegionUses uses, int total, Liveness lv, int lvLocals, Scan s, Scan.Region r, int max) {
        PieceInterface p = new PieceInterface(uses.usedLocals(), total);
        int count = 0;
        for (int l : p.touched) {
            boolean in = lv == null || l < lvLocals && lv.liveAt(r.start(), l);
            boolean out =
                    uses.written[l]
                            && (lv == null || l < lvLocals && isLiveOut(lv, s, r, uses.escapes, l));
            p.liveIn[l] = in;
            p.liveOut[l] = out;
            count += (in ? 1 : 0) + (out ? 1 : 0);
        }
        return count > max ? null : p;
    }

    /** Whether written local {@code l} is live after region {@code r} or where it escapes to. */
    private static boolean isLiveOut(
            Liveness lv, Scan s, Scan.Region r, List<Integer> escapes, int l) {
        if (lv.liveAt(r.end(), l)) {
            return true;
        }
        for (int t : escapes) {
            int c = r.enclosing();
            for (int q = 0; q < t; q++) {
                c = s.parent[c];
            }
            if (lv.liveAtLabel(s.start[c], l)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives each live-in local a parameter (in order) while the parameters take at most {@code
     * maxSlots} JVM slots and spills the rest, then numbers the piece's locals: the {@code prefix}
     * values first, the parameters, the spilled values, then the used locals dead at the region's
     * start. False when a live-in local can be neither a parameter nor spilled.
     *
     * @param slotCount the JVM slots the prefix values take
     */
    boolean layout(byte[] params, byte[] locals, int prefix, int slotCount, int maxSlots) {
        int slotsUsed = slotCount;
        int passed = 0;
        for (int l : touched) {
            if (liveIn[l]) {
                byte t = Pieces.type(params, locals, l);
                if (slotsUsed + Pieces.slots(t) <= maxSlots) {
                    slotsUsed += Pieces.slots(t);
                    paramTypes.u8(t);
                    passed++;
                } else if (Spills.spillable(t)) {
                    spilled[l] = true;
                    spillTypes.u8(t);
                } else {
                    return false;
                }
            }
            if (liveOut[l]) {
                resultTypes.u8(Pieces.type(params, locals, l));
            }
        }
        int next = prefix;
        int nextSpill = prefix + passed;
        for (int l : touched) {
            if (liveIn[l]) {
                map[l] = spilled[l] ? nextSpill++ : next++;
            }
        }
        int nextOwn = nextSpill;
        for (int l : touched) {
            if (!liveIn[l]) {
                map[l] = nextOwn++;
                ownTypes.u8(Pieces.type(params, locals, l));
            }
        }
        firstFree = nextOwn;
        return true;
    }

    /**
     * The caller's side before the call: each spilled local stored in its global, then the
     * parameters pushed.
     */
    void writeArguments(ByteWriter call, int[] spillGlobals) {
        int g = 0;
        for (int l : touched) {
            if (spilled[l]) {
                call.u8(0x20).u32(l).u8(0x24).u32(spillGlobals[g++]);
            }
        }
        for (int l : touched) {
            if (liveIn[l] && !spilled[l]) {
                call.u8(0x20).u32(l);
            }
        }
    }

    /** The caller's side after the call: the piece's results stored back, the last one first. */
    void writeResultStores(ByteWriter call) {
        for (int j = touched.length - 1; j >= 0; j--) {
            int l = touched[j];
            if (liveOut[l]) {
                call.u8(0x21).u32(l);
            }
        }
    }

    /** The piece's start: each spilled value read from its global into the piece's local. */
    void writeSpillLoads(ByteWriter f, int[] spillGlobals) {
        int g = 0;
        for (int l : touched) {
            if (spilled[l]) {
                f.u8(0x23).u32(spillGlobals[g++]).u8(0x21).u32(map[l]);
            }
        }
    }

    /** The piece's end: its results pushed, in order. */
    void writeResults(ByteWriter f) {
        for (int l : touched) {
            if (liveOut[l]) {
                f.u8(0x20).u32(map[l]);
            }
        }
    }
}
