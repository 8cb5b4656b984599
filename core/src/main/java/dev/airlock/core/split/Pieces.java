package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.Decoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes the piece of one region for the {@link Outliner}: the new function, with its type and
 * locals, and the code that calls it in the region's place.
 */
final class Pieces {
    /**
     * Parameters of an outlined function, in JVM slots (i64, f64 and v128 count two); more locals
     * go through {@link Spills}. C2 refuses calls with many more ("unsupported calling sequence" at
     * 60). The system property {@code airlock.split.slots} changes it, for tests that force
     * spilling (such as {@code SplitSpecTest} with 2).
     */
    private static final int MAX_SLOTS = Integer.getInteger("airlock.split.slots", 40);

    /**
     * Labels a piece may branch out to at most. A dispatch's nested case blocks would otherwise be
     * outlined one inside the other (each with the {@code br_table}'s labels as escapes), so that
     * every dispatch went through a chain of calls.
     */
    private static final int MAX_ESCAPES = Integer.getInteger("airlock.split.escapes", 8);

    /**
     * Values a piece takes and gives back at most (its live-in and live-out locals together); a
     * region that would pass more stays where it is, and smaller regions inside it are outlined
     * instead. C2's register allocation grows fast with the values live at once: one of bz2's
     * pieces took 40 parameters and 111 locals spilled through globals, the piece calling it got
     * 125 values back from another, and C2 spent 2 and 5-7 s on the two (3 KB of bytecode at most;
     * on 2 cores, HotSpot's one C2 thread, so every other method of the JVM waited: the next
     * module's first runs took 9 times as long). The system property {@code
     * airlock.split.interface} changes it.
     */
    static final int MAX_INTERFACE = Integer.getInteger("airlock.split.interface", 96);

    private final Splitter.Model model;
    private final List<Body> bodies;
    private final Spills spills;

    Pieces(Splitter.Model model, List<Body> bodies, Spills spills) {
        this.model = model;
        this.bodies = bodies;
        this.spills = spills;
    }

    static byte type(byte[] params, byte[] locals, int l) {
        return l < params.length ? params[l] : locals[l - params.length];
    }

    static int slots(byte t) {
        return t == 0x7E || t == 0x7C || t == 0x7B ? 2 : 1;
    }

    /**
     * Outlines one region of body {@code b}: adds the piece (and any locals the caller needs for
     * it) and returns the code that replaces the region, which the caller splices in; null when it
     * cannot. {@code lv} knows the first {@code lvLocals} locals (later ones are temporaries added
     * since, dead at every region's edges).
     */
    byte[] outline(
            Body b,
            byte[] params,
            byte[] fresults,
            Scan s,
            Liveness lv,
            int lvLocals,
            Scan.Region r) {
        byte[] code = b.code();
        byte[] locals = b.locals();
        int total = params.length + locals.length;
        // the labels around the region, innermost first; the function's is one past the last
        List<Integer> around = new ArrayList<>();
        for (int c = r.enclosing(); c >= 0; c = s.parent[c]) {
            around.add(s.arity[c]);
        }
        int fnLabel = around.size();
        Decoder d = new Decoder();
        RegionUses uses =
                RegionUses.of(code, r, total, around, fnLabel, fresults.length > 0, MAX_ESCAPES, d);
        if (uses == null) {
            return null;
        }
        List<Integer> escapes = uses.escapes;
        boolean returns = uses.returns;
        byte[][] bt = {new byte[0], new byte[0]};
        byte[] prefix = new byte[0];
        if (r.construct() >= 0) {
            bt = Scan.blockType(model, new ByteReader(code, r.start() + 1, code.length));
            prefix = bt[0];
            if ((code[r.start()] & 0xff) == 0x04) {
                prefix = Arrays.copyOf(prefix, prefix.length + 1);
                prefix[prefix.length - 1] = 0x7F;
            }
        } else if (r.result() != 0) {
            // an expression: the value it leaves on the stack is the piece's first result
            bt = new byte[][] {new byte[0], new byte[] {r.result()}};
        }
        int k = escapes.size() + (returns ? 1 : 0);
        if (k > 0 && bt[1].length > 0) {
            return null;
        }
        boolean retVals = returns && fresults.length > 0;
        PieceInterface io = PieceInterface.of(uses, total, lv, lvLocals, s, r, MAX_INTERFACE);
        if (io == null) {
            return null;
        }
        int m = prefix.length;
        int slotCount = 0;
        for (byte t : prefix) {
            slotCount += slots(t);
        }
        if (slotCount > MAX_SLOTS || !io.layout(params, locals, m, slotCount, MAX_SLOTS)) {
            return null;
        }
        int x = io.firstFree;
        byte[] spillArray = io.spillTypes.toByteArray();
        int[] spillGlobals = spills.globals(spillArray);
        int fidx = model.funcTypes.size();
        // the caller's side
        ByteWriter call = new ByteWriter(64);
        io.writeArguments(call, spillGlobals);
        call.u8(0x10).u32(fidx);
        // with liveness known, one exit code and one set of return values per function: each is
        // read right after the call that sets it, so it is dead everywhere else and never enters
        // a piece's interface (without it, each call gets its own, as a piece passes all it uses)
        boolean share = lv != null && b.exitTemp >= 0;
        if (k > 0 && share) {
            // a region that ends between an earlier call and its dispatch gives that exit code
            // back as a written local, which this call's own exit code would then overwrite
            for (int t = b.exitTemp; t <= b.exitTemp + fresults.length; t++) {
                if (io.liveOut[t]) {
                    return null;
                }
            }
        }
        int xtmp = share ? b.exitTemp : total;
        if (k > 0) {
            call.u8(0x21).u32(xtmp);
        }
        if (retVals) {
            for (int i = fresults.length - 1; i >= 0; i--) {
                call.u8(0x21).u32(xtmp + 1 + i);
            }
        }
        io.writeResultStores(call);
        int jret = escapes.size() + 1;
        ExitDispatch.write(call, xtmp, escapes, returns, retVals ? fresults.length : 0);
        if (call.size() >= r.size()) {
            return null;
        }
        // the outlined function
        ByteWriter f = new ByteWriter(r.size() + 64);
        io.writeSpillLoads(f, spillGlobals);
        if (k > 0) {
            for (int q = 0; q <= k; q++) {
                f.u8(0x02).u8(0x40);
            }
        }
        for (int i = 0; i < m; i++) {
            f.u8(0x20).u32(i);
        }
        copyBody(f, code, r, d, io.map, retVals, fresults, x, fnLabel, escapes, jret);
        if (k > 0) {
            f.u8(0x0C).u32(k);
            for (int j = 1; j <= k; j++) {
                f.u8(0x0B).u8(0x41).s64(j).u8(0x21).u32(x).u8(0x0C).u32(k - j);
            }
            f.u8(0x0B);
        }
        io.writeResults(f);
        if (retVals) {
            for (int i = 0; i < fresults.length; i++) {
                f.u8(0x20).u32(x + 1 + i);
            }
        }
        if (k > 0) {
            f.u8(0x20).u32(x);
        }
        f.u8(0x0B);
        // commit: new type, function and body; the caller's new code and locals
        byte[] fparams = concat(prefix, io.paramTypes.toByteArray());
        ByteWriter res = new ByteWriter(16);
        if (k == 0) {
            res.bytes(bt[1], 0, bt[1].length);
        }
        res.bytes(io.resultTypes);
        if (retVals) {
            res.bytes(fresults, 0, fresults.length);
        }
        if (k > 0) {
            res.u8(0x7F);
        }
        byte[] temps = new byte[0];
        if (k > 0) {
            temps = new byte[1 + (retVals ? fresults.length : 0)];
            temps[0] = 0x7F;
            if (retVals) {
                System.arraycopy(fresults, 0, temps, 1, fresults.length);
            }
        }
        byte[] flocals = concat(concat(spillArray, io.ownTypes.toByteArray()), temps);
        byte[] newLocals = locals;
        if (k > 0 && !share) {
            byte[] fresh = new byte[1 + fresults.length];
            fresh[0] = 0x7F;
            System.arraycopy(fresults, 0, fresh, 1, fresults.length);
            newLocals = concat(locals, fresh);
            if (lv != null) {
                b.exitTemp = total;
            }
        }
        int type = model.addType(fparams, res.toByteArray());
        model.funcTypes.add(type);
        bodies.add(new Body(flocals, f.toByteArray()));
        b.set(newLocals, code);
        return call.toByteArray();
    }

    /**
     * Copies region {@code r}'s code into the piece {@code f}: locals renumbered by {@code map},
     * branches out of the region and returns turned into branches to the piece's exits.
     */
    private static void copyBody(
            ByteWriter f,
            byte[] code,
            Scan.Region r,
            Decoder d,
            int[] map,
            boolean retVals,
            byte[] fresults,
            int x,
            int fnLabel,
            List<Integer> escapes,
            int jret) {
        ByteReader in = new ByteReader(code, r.start(), r.end());
        int dd = 0;
        while (!in.atEnd()) {
            int p = in.pos();
            int kind = d.next(in);
            switch (kind) {
                case Decoder.BLOCK:
                case Decoder.LOOP:
                case Decoder.IF:
                    dd++;
                    f.bytes(code, p, in.pos());
                    break;
                case Decoder.END:
                    dd--;
                    f.u8(0x0B);
                    break;
                case Decoder.LOCAL:
                    f.u8(d.op).u32(map[d.label]);
                    break;
                case Decoder.RETURN:
                    storeReturn(f, retVals, fresults, x);
                    f.u8(0x0C).u32(dd + jret - 1);
                    break;
                case Decoder.BR:
                    if (d.label >= dd && d.label - dd == fnLabel) {
                        storeReturn(f, retVals, fresults, x);
                    }
                    f.u8(0x0C).u32(relabel(d.label, dd, fnLabel, escapes, jret));
                    break;
                case Decoder.BR_IF:
                    f.u8(0x0D).u32(relabel(d.label, dd, fnLabel, escapes, jret));
                    break;
                case Decoder.BR_TABLE:
                    f.u8(0x0E).u32(d.labelCount - 1);
                    for (int q = 0; q < d.labelCount; q++) {
                        f.u32(relabel(d.labels[q], dd, fnLabel, escapes, jret));
                    }
                    break;
                default:
                    f.bytes(code, p, in.pos());
                    break;
            }
        }
    }

    private static void storeReturn(ByteWriter f, boolean retVals, byte[] fresults, int x) {
        if (retVals) {
            for (int i = fresults.length - 1; i >= 0; i--) {
                f.u8(0x21).u32(x + 1 + i);
            }
        }
    }

    private static int relabel(int l, int dd, int fnLabel, List<Integer> escapes, int jret) {
        if (l < dd) {
            return l;
        }
        int t = l - dd;
        int j = t == fnLabel ? jret : escapes.indexOf(t) + 1;
        return dd + j - 1;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
