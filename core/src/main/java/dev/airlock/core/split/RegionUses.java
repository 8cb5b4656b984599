package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.Decoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one region's code does with the function's locals and labels, from one pass over it: the
 * locals it reads or writes, the labels outside it that it branches to, whether it returns. Kept
 * out of {@link Pieces#outline} so that the JIT compiles this loop, the outliner's hottest, as a
 * method of its own: inside {@code outline} each of its on-stack replacements made C2 compile the
 * whole 2.5 KB method again (0.3 to 1.3 s of C2's time each, while guests waited for theirs).
 */
final class RegionUses {
    /** Per local: whether the region reads or writes it. */
    final boolean[] used;

    /** Per local: whether the region writes it. */
    final boolean[] written;

    /** Labels outside the region it branches to, as depths past its start, in order of use. */
    final List<Integer> escapes = new ArrayList<>();

    /** Whether it returns from the function (or branches to the function's label). */
    boolean returns;

    /** The locals it uses, in order of first use (the first {@code touchedCount}). */
    private int[] touched = new int[16];

    private int touchedCount;

    private RegionUses(int locals) {
        used = new boolean[locals];
        written = new boolean[locals];
    }

    /**
     * The uses of region {@code r} of {@code code}, or null when it cannot become a piece: it
     * branches to a label with values, to the function's label with a value other than by {@code
     * br}, or to more than {@code maxEscapes} labels.
     *
     * @param around the arities of the labels around the region, innermost first
     * @param fnLabel the depth of the function's own label ({@code around}'s size)
     */
    static RegionUses of(
            byte[] code,
            Scan.Region r,
            int locals,
            List<Integer> around,
            int fnLabel,
            boolean hasResults,
            int maxEscapes,
            Decoder d) {
        RegionUses u = new RegionUses(locals);
        ByteReader in = new ByteReader(code, r.start(), r.end());
        int dd = 0;
        while (!in.atEnd()) {
            int kind = d.next(in);
            switch (kind) {
                case Decoder.BLOCK:
                case Decoder.LOOP:
                case Decoder.IF:
                    dd++;
                    break;
                case Decoder.END:
                    dd--;
                    break;
                case Decoder.LOCAL:
                    if (!u.used[d.label]) {
                        u.touch(d.label);
                    }
                    u.used[d.label] = true;
                    u.written[d.label] |= d.op != 0x20;
                    break;
                case Decoder.RETURN:
                    u.returns = true;
                    break;
                case Decoder.BR:
                case Decoder.BR_IF:
                case Decoder.BR_TABLE:
                    if (!u.branch(kind, d, dd, around, fnLabel, hasResults, maxEscapes)) {
                        return null;
                    }
                    break;
                default:
                    break;
            }
        }
        return u;
    }

    private void touch(int local) {
        if (touchedCount == touched.length) {
            touched = Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = local;
    }

    /**
     * The locals the region uses, ascending: the outliner's loops run over these rather than over
     * all the function's locals, which can number thousands (and made those loops hot enough for
     * on-stack replacements of the whole outliner).
     */
    int[] usedLocals() {
        int[] out = Arrays.copyOf(touched, touchedCount);
        Arrays.sort(out);
        return out;
    }

    /** Records one branch's targets outside the region; false when the region cannot be a piece. */
    private boolean branch(
            int kind,
            Decoder d,
            int dd,
            List<Integer> around,
            int fnLabel,
            boolean hasResults,
            int maxEscapes) {
        int n = kind == Decoder.BR_TABLE ? d.labelCount : 1;
        for (int k = 0; k < n; k++) {
            int l = kind == Decoder.BR_TABLE ? d.labels[k] : d.label;
            if (l < dd) {
                continue;
            }
            int t = l - dd;
            if (t == fnLabel) {
                if (kind != Decoder.BR && hasResults) {
                    return false;
                }
                returns = true;
            } else if (t > fnLabel || around.get(t) != 0) {
                return false;
            } else if (!escapes.contains(t)) {
                if (escapes.size() == maxEscapes) {
                    return false;
                }
                escapes.add(t);
            }
        }
        return true;
    }
}
