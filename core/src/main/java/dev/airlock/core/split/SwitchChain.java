package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.Decoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A switch as compilers lay it out: {@code n} empty-typed blocks opened one right after the other,
 * then straight-line code (no branches or blocks) computing the value, a {@code br_table}, and the
 * innermost block's end; case {@code i}'s code follows the end of block {@code i}.
 *
 * @param open where the outermost block's opener starts
 * @param preStart where the code computing the value starts (after the innermost opener)
 * @param tablePos where the {@code br_table} starts
 * @param table the {@code br_table}'s labels, its default last
 * @param ends where each block's {@code end} is, innermost first
 */
record SwitchChain(int open, int preStart, int tablePos, int[] table, int[] ends) {
    /** Case blocks a chain needs at least to be regrouped. */
    private static final int MIN_CASES = 24;

    /** How many blocks the chain has. */
    int n() {
        return ends.length;
    }

    /** The largest chain of the body, or null. */
    static SwitchChain find(byte[] code) {
        Decoder d = new Decoder();
        ByteReader in = new ByteReader(code, 0, code.length);
        // per open construct: how many void blocks opened right before it, itself included, and
        // where the first of them starts
        List<int[]> open = new ArrayList<>();
        int lastOpenerEnd = -1;
        int run = 0;
        int runStart = -1;
        int preStart = -1;
        boolean plain = false;
        SwitchChain best = null;
        int bestN = MIN_CASES - 1;
        while (!in.atEnd()) {
            int p = in.pos();
            int kind = d.next(in);
            switch (kind) {
                case Decoder.BLOCK:
                case Decoder.LOOP:
                case Decoder.IF:
                    boolean voidBlock = kind == Decoder.BLOCK && code[p + 1] == 0x40;
                    if (voidBlock && p == lastOpenerEnd && run > 0) {
                        run++;
                    } else if (voidBlock) {
                        run = 1;
                        runStart = p;
                    } else {
                        run = 0;
                    }
                    open.add(new int[] {run, runStart});
                    lastOpenerEnd = in.pos();
                    preStart = in.pos();
                    plain = true;
                    break;
                case Decoder.BR_TABLE:
                    int[] top = open.isEmpty() ? null : open.get(open.size() - 1);
                    if (plain
                            && top != null
                            && top[0] > bestN
                            && in.pos() < code.length
                            && (code[in.pos()] & 0xff) == 0x0B) {
                        SwitchChain ch =
                                chain(
                                        code,
                                        top[1],
                                        top[0],
                                        preStart,
                                        p,
                                        Arrays.copyOf(d.labels, d.labelCount));
                        if (ch != null) {
                            best = ch;
                            bestN = ch.n();
                        }
                    }
                    plain = false;
                    lastOpenerEnd = -1;
                    break;
                case Decoder.END:
                    if (!open.isEmpty()) {
                        open.remove(open.size() - 1);
                    }
                    plain = false;
                    lastOpenerEnd = -1;
                    break;
                case Decoder.PLAIN:
                case Decoder.LOCAL:
                case Decoder.GLOBAL:
                case Decoder.CALL:
                    lastOpenerEnd = -1;
                    break;
                default:
                    plain = false;
                    lastOpenerEnd = -1;
                    break;
            }
        }
        return best;
    }

    /** The ends of a chain of {@code n} blocks opened at {@code open}, or null if unbalanced. */
    private static SwitchChain chain(
            byte[] code, int open, int n, int preStart, int tablePos, int[] table) {
        Decoder d = new Decoder();
        ByteReader in = new ByteReader(code, tablePos, code.length);
        int[] ends = new int[n];
        int depth = 0;
        int found = 0;
        while (!in.atEnd() && found < n) {
            int p = in.pos();
            int kind = d.next(in);
            if (kind == Decoder.BLOCK || kind == Decoder.LOOP || kind == Decoder.IF) {
                depth++;
            } else if (kind == Decoder.END) {
                if (depth == 0) {
                    ends[found++] = p;
                } else {
                    depth--;
                }
            }
        }
        return found == n ? new SwitchChain(open, preStart, tablePos, table, ends) : null;
    }
}
