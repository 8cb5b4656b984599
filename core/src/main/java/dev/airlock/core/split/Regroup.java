package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.Decoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a big {@code switch} into a two-level one, so that its cases can be outlined in groups.
 *
 * <p>A compiler lays a dense {@code switch} out as a {@linkplain SwitchChain chain} of empty-typed
 * blocks opened one after the other, with a {@code br_table} at the bottom: case {@code i}'s code
 * follows the end of block {@code i}, inside blocks {@code i+1} and up. Once the outliner has moved
 * every case's work into pieces, such a chain is still one function holding hundreds of case stubs
 * (an interpreter's dispatch loop: CPython's is 215 cases), too big for the JVM's first compiler,
 * and no part of it can be outlined on its own: every case is a target of the one {@code br_table}.
 *
 * <p>This rewrite keeps the chain's order but splits it into consecutive groups of cases, each a
 * block of its own entered through a local: {@code entry} 0 dispatches on the switch value (kept in
 * a local) with the group's copy of the table, {@code entry} 1+c enters the group's case c (a
 * fall-through from the previous group, or a branch from an earlier case of another group). The
 * function's own {@code br_table} then only chooses the group. Every group branches out to few
 * labels, so the outliner can make each a piece: a dispatch is then one call to a group, whose case
 * stub calls the case's piece. Cases of at most 96 bytes (three groups' worth of them, smallest
 * first) stay in the function as units of their own, so a dispatch to them stays a branch; with a
 * {@link DispatchProfile} of the switch, the most often taken cases of at most 400 bytes stay
 * instead (three groups' worth, hottest first). A switch with a profile is regrouped even where
 * regrouping was not asked for: the module that carries the profile asks for it. Every original
 * instruction runs as often as before (fuel is unchanged); only branches, local sets and tables are
 * added.
 */
final class Regroup {
    private Regroup() {}

    private static final int UNSET = -1;

    /**
     * Rewrites the largest switch chain of body {@code b} (function {@code func}, imports included)
     * into groups of at most {@code groupBytes} each, tables included (where one case allows); a
     * switch whose table leaves too little room for cases is left alone, and so is one that {@code
     * profile} has no counts of unless {@code unprofiled}.
     *
     * @return whether the body changed
     */
    static boolean regroup(
            Body b,
            int func,
            int paramCount,
            int groupBytes,
            DispatchProfile profile,
            boolean unprofiled) {
        byte[] code = b.code();
        SwitchChain c = SwitchChain.find(code);
        if (c == null) {
            return false;
        }
        long[] counts = profile.counts(func, c.table().length - 1);
        if (counts == null && !unprofiled) {
            return false;
        }
        int total = paramCount + b.locals().length;
        // a group holds its own copy of the table, one entry per case and the trampolines of
        // branches into other groups besides its cases' code: try smaller groups until each fits
        int room = groupBytes - c.table().length - 32;
        int keep = KeptCases.budget(groupBytes);
        byte[] out = null;
        for (int attempt = 0; out == null && attempt < 8; attempt++) {
            if (room < groupBytes / 4) {
                return false;
            }
            int[] over = {0};
            out = write(code, c, counts, room, keep, total, groupBytes, over);
            room -= Math.max(over[0], 16);
        }
        if (out == null) {
            return false;
        }
        byte[] locals = Arrays.copyOf(b.locals(), b.locals().length + 3);
        Arrays.fill(locals, locals.length - 3, locals.length, (byte) 0x7F);
        b.set(locals, out);
        return true;
    }

    /**
     * The body with the chain in units: groups of cases of at most {@code room} bytes of code, and
     * small cases left in the function ({@code keep} bytes of them at most, smallest first: a
     * dispatch to them stays a branch, not a call). Null (and in {@code over} by how much) when a
     * group came out larger than {@code limit}.
     */
    private static byte[] write(
            byte[] code,
            SwitchChain c,
            long[] counts,
            int room,
            int keep,
            int total,
            int limit,
            int[] over) {
        int n = c.n();
        // case i's code: from after end i to end i+1, for i < n-1 (the last case stays after the
        // chain)
        int cases = n - 1;
        boolean[] kept =
                counts == null
                        ? KeptCases.smallest(c, cases, keep)
                        : KeptCases.hottest(c, cases, keep, counts);
        int[] unit = new int[cases];
        List<Integer> firsts = new ArrayList<>();
        List<Boolean> inline = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < cases; i++) {
            int len = c.ends()[i + 1] - c.ends()[i] + 1;
            if (kept[i]) {
                firsts.add(i);
                inline.add(true);
            } else if (firsts.isEmpty() || inline.get(inline.size() - 1) || size + len > room) {
                firsts.add(i);
                inline.add(false);
                size = 0;
            }
            size += len;
            unit[i] = firsts.size() - 1;
        }
        int units = firsts.size();
        if (units < 2) {
            over[0] = room;
            return null;
        }
        int[] table = c.table();
        Units u = new Units(c, unit, firsts, inline, total);
        ByteWriter w = new ByteWriter(code.length + code.length / 4);
        w.bytes(code, 0, c.open());
        for (int g = 0; g <= units; g++) {
            w.u8(0x02).u8(0x40);
        }
        w.bytes(code, c.preStart(), c.tablePos());
        w.u8(0x21).u32(u.op).u8(0x41).s64(0).u8(0x21).u32(u.entry);
        w.u8(0x20).u32(u.op).u8(0x0E).u32(table.length - 1);
        for (int t : table) {
            w.u32(t < cases ? unit[t] : t == cases ? units : t - n + units + 1);
        }
        w.u8(0x0B);
        for (int g = 0; g < units; g++) {
            int from = w.size();
            if (inline.get(g)) {
                writeCase(w, code, u, g, firsts.get(g), 0);
            } else {
                writeGroup(w, code, u, g);
                over[0] = Math.max(over[0], w.size() - from - limit);
            }
            if (g + 1 < units && !inline.get(g + 1)) {
                w.u8(0x41).s64(1).u8(0x21).u32(u.entry);
            }
            w.u8(0x0B);
        }
        w.bytes(code, c.ends()[n - 1] + 1, code.length);
        return over[0] > 0 ? null : w.toByteArray();
    }

    /** How the chain's cases were cut into units, and the locals the rewrite adds. */
    private static final class Units {
        final SwitchChain c;
        final int[] unit;
        final List<Integer> firsts;
        final List<Boolean> inline;
        final int cases;
        final int op;
        final int entry;
        final int scratch;

        Units(SwitchChain c, int[] unit, List<Integer> firsts, List<Boolean> inline, int total) {
            this.c = c;
            this.unit = unit;
            this.firsts = firsts;
            this.inline = inline;
            this.cases = c.n() - 1;
            this.op = total;
            this.entry = total + 1;
            this.scratch = total + 2;
        }

        int end(int g) {
            return g + 1 < firsts.size() ? firsts.get(g + 1) : cases;
        }
    }

    /** A group: its own block, its case blocks, and a dispatch on the entry, then on the value. */
    private static void writeGroup(ByteWriter w, byte[] code, Units u, int g) {
        int a = u.firsts.get(g);
        int b = u.end(g);
        w.u8(0x02).u8(0x40); // the group
        for (int i = a; i < b; i++) {
            w.u8(0x02).u8(0x40); // its case blocks
        }
        w.u8(0x02).u8(0x40).u8(0x02).u8(0x40); // unreachable, by value
        w.u8(0x20).u32(u.entry).u8(0x0E).u32(b - a + 1).u32(0);
        for (int i = a; i < b; i++) {
            w.u32(2 + i - a);
        }
        w.u32(1).u8(0x0B);
        w.u8(0x20).u32(u.op).u8(0x0E).u32(u.c.table().length - 1);
        for (int t : u.c.table()) {
            w.u32(t >= a && t < b ? 1 + t - a : 0);
        }
        w.u8(0x0B).u8(0x00);
        for (int i = a; i < b; i++) {
            w.u8(0x0B);
            writeCase(w, code, u, g, i, b - 1 - i + 1);
        }
        w.u8(0x0B); // the group's block
    }

    /**
     * Case {@code i}'s code, in unit {@code g}, {@code base} labels below the unit's end (its case
     * blocks and own block in a group, none for a case left in the function).
     */
    private static void writeCase(ByteWriter w, byte[] code, Units u, int g, int i, int base) {
        int b = u.end(g);
        int units = u.firsts.size();
        // labels past the chain: the units after this one, then the chain's last case
        int toChainEnd = base + (units - 1 - g);
        Decoder d = new Decoder();
        ByteReader in = new ByteReader(code, u.c.ends()[i] + 1, u.c.ends()[i + 1]);
        int dd = 0;
        while (!in.atEnd()) {
            int p = in.pos();
            int kind = d.next(in);
            switch (kind) {
                case Decoder.BLOCK:
                case Decoder.LOOP:
                case Decoder.IF:
                    dd++;
                    w.bytes(code, p, in.pos());
                    break;
                case Decoder.END:
                    dd--;
                    w.u8(0x0B);
                    break;
                case Decoder.BR:
                case Decoder.BR_IF:
                    {
                        int l = d.label;
                        int t = l < dd ? UNSET : i + 1 + l - dd;
                        if (t == UNSET || t < b) {
                            w.bytes(code, p, in.pos());
                        } else if (t < u.cases) {
                            int gg = u.unit[t];
                            int depth = dd + base + (gg - g - 1);
                            if (u.inline.get(gg)) {
                                w.u8(kind == Decoder.BR ? 0x0C : 0x0D).u32(depth);
                            } else if (kind == Decoder.BR) {
                                w.u8(0x41).s64(1 + t - u.firsts.get(gg)).u8(0x21).u32(u.entry);
                                w.u8(0x0C).u32(depth);
                            } else {
                                w.u8(0x04).u8(0x40);
                                w.u8(0x41).s64(1 + t - u.firsts.get(gg)).u8(0x21).u32(u.entry);
                                w.u8(0x0C).u32(depth + 1).u8(0x0B);
                            }
                        } else {
                            w.u8(kind == Decoder.BR ? 0x0C : 0x0D);
                            w.u32(dd + toChainEnd + t - u.cases);
                        }
                        break;
                    }
                case Decoder.BR_TABLE:
                    writeTable(w, u, g, i, b, dd, base, toChainEnd, d);
                    break;
                default:
                    w.bytes(code, p, in.pos());
                    break;
            }
        }
    }

    /**
     * A {@code br_table} of a case: labels into groups go through a block each that sets the entry
     * (the index waits in a local meanwhile, as blocks start with no operands).
     */
    private static void writeTable(
            ByteWriter w,
            Units u,
            int g,
            int i,
            int b,
            int dd,
            int base,
            int toChainEnd,
            Decoder d) {
        int[] labels = Arrays.copyOf(d.labels, d.labelCount);
        List<Integer> cross = new ArrayList<>();
        for (int l : labels) {
            int t = l < dd ? UNSET : i + 1 + l - dd;
            if (t >= b && t < u.cases && !u.inline.get(u.unit[t]) && !cross.contains(t)) {
                cross.add(t);
            }
        }
        int m = cross.size();
        if (m > 0) {
            w.u8(0x21).u32(u.scratch);
            for (int x = 0; x < m; x++) {
                w.u8(0x02).u8(0x40);
            }
            w.u8(0x20).u32(u.scratch);
        }
        w.u8(0x0E).u32(labels.length - 1);
        for (int l : labels) {
            int t = l < dd ? UNSET : i + 1 + l - dd;
            if (t == UNSET || t < b) {
                w.u32(l + m);
            } else if (t < u.cases && !u.inline.get(u.unit[t])) {
                w.u32(cross.indexOf(t));
            } else if (t < u.cases) {
                w.u32(dd + base + (u.unit[t] - g - 1) + m);
            } else {
                w.u32(dd + toChainEnd + t - u.cases + m);
            }
        }
        for (int x = 0; x < m; x++) {
            int t = cross.get(x);
            int gg = u.unit[t];
            int depth = dd + base + (gg - g - 1) + (m - 1 - x);
            w.u8(0x0B).u8(0x41).s64(1 + t - u.firsts.get(gg)).u8(0x21).u32(u.entry);
            w.u8(0x0C).u32(depth);
        }
    }
}
