package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.Decoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which locals of a function body are live (may be read before being written again) at each
 * instruction, found by a backward pass over its structured code: a {@code block}'s or {@code if}'s
 * label carries what is live after its {@code end}, a {@code loop}'s what is live at its start
 * (iterated until it no longer grows), a branch makes its label's set live, {@code return} and
 * {@code unreachable} leave nothing live. The outliner passes only live locals into a piece and
 * takes back only written locals that are live after it.
 *
 * <p>A body too large to analyse within the work budget, or nested too deeply, gets no analysis
 * ({@link #of} returns null) and the outliner falls back to passing every local it touches.
 */
final class Liveness {
    /** Instruction visits at most per analysis (loops are visited until their sets settle). */
    private static final long MAX_WORK = 40_000_000L;

    /** Stored set words at most (instructions times words per set). */
    private static final long MAX_WORDS = 4_000_000L;

    /** Nesting of blocks at most. */
    private static final int MAX_DEPTH = 2_000;

    private final int words;
    private final int[] pos;
    private final int[] kind;
    private final int[] op;
    private final int[] arg;
    private final int[][] table;
    private final int[] match;
    private final int[] elseAt;
    private final long[][] before;
    private final long[][] label;
    private long work;

    private Liveness(int locals, int n) {
        this.words = Math.max(1, (locals + 63) >>> 6);
        this.pos = new int[n + 1];
        this.kind = new int[n];
        this.op = new int[n];
        this.arg = new int[n];
        this.table = new int[n][];
        this.match = new int[n];
        this.elseAt = new int[n];
        this.before = new long[n][];
        this.label = new long[n][];
    }

    /** The analysis of {@code code} with {@code locals} locals, or null when out of budget. */
    static Liveness of(byte[] code, int locals) {
        int n = count(code, 0, code.length);
        if (n < 0 || (long) n * ((locals + 63) >>> 6) > MAX_WORDS) {
            return null;
        }
        Liveness l = new Liveness(locals, n);
        try {
            l.pos[n] = code.length;
            if (!l.decode(code, 0, code.length, 0, n, true)) {
                return null;
            }
            List<long[]> labels = new ArrayList<>();
            l.seq(0, n - 1, new long[l.words], labels);
            l.before[n - 1] = new long[l.words];
            return l;
        } catch (OutOfBudget e) {
            return null;
        }
    }

    /**
     * This analysis for {@code code}, in which the instructions at positions {@code start} to
     * {@code oldEnd} of the code analysed were replaced by those at {@code start} to {@code newEnd}
     * (an outlined region by its call), with {@code locals} locals now; null when it cannot say
     * (another number of set words, or the new instructions unbalanced), so that the caller
     * analyses the code afresh.
     *
     * <p>What is live outside the replaced instructions does not change, when the region's call
     * reads exactly the locals the region uses that were live at its start, and sets exactly those
     * it writes that were live after it or at a label it branches to (what {@link Pieces} makes).
     * At this analysis's sets the call's transfer equals the region's; below them it is at least
     * the region's, so the old solution is a fixed point of the new equations and none lies below
     * it: the least is the same. Only the new instructions' own sets are found, from the set after
     * them and those of the labels around them, and the positions after them move.
     */
    Liveness replaced(byte[] code, int start, int oldEnd, int newEnd, int locals) {
        if (Math.max(1, (locals + 63) >>> 6) != words) {
            return null;
        }
        int i0 = index(start);
        int i1 = index(oldEnd);
        int n = kind.length;
        int m = count(code, start, newEnd);
        int n2 = n - (i1 - i0) + m;
        int shift = m - (i1 - i0);
        int delta = newEnd - oldEnd;
        Liveness l = new Liveness(locals, n2);
        copyPart(l, 0, 0, i0, 0, i1, shift);
        copyPart(l, i1, i0 + m, n - i1, delta, i1, shift);
        l.pos[n2] = pos[n] + delta;
        if (!l.decode(code, start, newEnd, i0, m, false)) {
            return null;
        }
        // the labels around the new instructions (outermost first, as seq takes them): walking back
        // from them, a construct ended before them is skipped whole, one still open encloses them
        List<long[]> labels = new ArrayList<>();
        for (int j = i0 - 1; j >= 0; j--) {
            int k = l.kind[j];
            if (k == Decoder.END) {
                if (l.match[j] < 0 || l.match[j] >= j) {
                    return null; // never so in a decoded body; a walk that cannot loop
                }
                j = l.match[j];
            } else if (k == Decoder.BLOCK || k == Decoder.LOOP || k == Decoder.IF) {
                labels.add(l.label[j]);
            }
        }
        Collections.reverse(labels);
        long[] live = before[i1].clone();
        try {
            l.seq(i0, i0 + m, live, labels);
        } catch (OutOfBudget e) {
            return null;
        }
        // the call must need what the region needed: not so when the region never reaches its end
        // (it always branches out or returns), since the call's dispatch can fall through, and
        // what is live after the region then becomes live before it, up to wherever that leads
        return Arrays.equals(live, before[i0]) ? l : null;
    }

    /**
     * Copies {@code len} instructions from index {@code from} here to {@code to} in {@code l},
     * their positions moved by {@code delta}, and indices from {@code after} on by {@code shift}.
     */
    private void copyPart(Liveness l, int from, int to, int len, int delta, int after, int shift) {
        System.arraycopy(kind, from, l.kind, to, len);
        System.arraycopy(op, from, l.op, to, len);
        System.arraycopy(arg, from, l.arg, to, len);
        System.arraycopy(table, from, l.table, to, len);
        System.arraycopy(before, from, l.before, to, len);
        System.arraycopy(label, from, l.label, to, len);
        for (int q = 0; q < len; q++) {
            int i = from + q;
            int j = to + q;
            l.pos[j] = pos[i] + delta;
            l.match[j] = match[i] >= after ? match[i] + shift : match[i];
            l.elseAt[j] = elseAt[i] >= after ? elseAt[i] + shift : elseAt[i];
        }
    }

    /** Whether {@code o} says the same as this analysis, instruction by instruction. */
    boolean sameAs(Liveness o) {
        if (o == null || o.words != words || !Arrays.equals(o.pos, pos)) {
            return false;
        }
        for (int i = 0; i < kind.length; i++) {
            if (!Arrays.equals(before[i], o.before[i]) || !Arrays.equals(label[i], o.label[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether local {@code x} is live just before the instruction at code position {@code p}. */
    boolean liveAt(int p, int x) {
        long[] s = before[index(p)];
        return s != null && (s[x >>> 6] & (1L << x)) != 0;
    }

    /**
     * Whether local {@code x} is live where a branch to the construct starting at code position
     * {@code p} goes (after a block's or if's end; at a loop's start).
     */
    boolean liveAtLabel(int p, int x) {
        long[] s = label[index(p)];
        return s != null && (s[x >>> 6] & (1L << x)) != 0;
    }

    private int index(int p) {
        int i = Arrays.binarySearch(pos, 0, kind.length, p);
        if (i < 0) {
            throw new IllegalArgumentException("not an instruction boundary");
        }
        return i;
    }

    private static int count(byte[] code, int from, int to) {
        Decoder d = new Decoder();
        ByteReader r = new ByteReader(code, from, to);
        int n = 0;
        while (!r.atEnd()) {
            d.next(r);
            n++;
        }
        return n;
    }

    /**
     * Decodes the {@code m} instructions at code positions {@code from..to} into indices {@code
     * at..}: a whole body ({@code whole}, whose last instruction is its own end) or a part of one;
     * whether they are balanced.
     */
    private boolean decode(byte[] code, int from, int to, int at, int m, boolean whole) {
        Decoder d = new Decoder();
        ByteReader r = new ByteReader(code, from, to);
        int[] open = new int[16];
        int depth = 0;
        for (int i = at; i < at + m; i++) {
            pos[i] = r.pos();
            int k = d.next(r);
            kind[i] = k;
            op[i] = d.op;
            arg[i] = d.label;
            match[i] = -1;
            elseAt[i] = -1;
            if (k == Decoder.BR_TABLE) {
                table[i] = Arrays.copyOf(d.labels, d.labelCount);
            } else if (k == Decoder.BLOCK || k == Decoder.LOOP || k == Decoder.IF) {
                if (depth == MAX_DEPTH) {
                    return false;
                }
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                }
                open[depth++] = i;
            } else if (k == Decoder.ELSE) {
                if (depth == 0) {
                    return false;
                }
                elseAt[open[depth - 1]] = i;
            } else if (k == Decoder.END) {
                if (depth == 0) {
                    if (!whole || i != at + m - 1) {
                        return false;
                    }
                    continue;
                }
                int s = open[--depth];
                match[i] = s;
                match[s] = i;
            }
        }
        return depth == 0 && r.atEnd();
    }

    /**
     * Goes backward over instructions {@code from..to-1} with {@code live} live after them and
     * {@code labels} (innermost last) live at the enclosing labels; leaves in {@code live} what is
     * live before {@code from}.
     */
    private void seq(int from, int to, long[] live, List<long[]> labels) {
        for (int i = to - 1; i >= from; i--) {
            if (++work > MAX_WORK) {
                throw new OutOfBudget();
            }
            switch (kind[i]) {
                case Decoder.END:
                    {
                        int s = match[i];
                        keepBefore(i, live);
                        construct(s, i, live, labels);
                        i = s;
                        break;
                    }
                case Decoder.BR:
                    copy(target(labels, arg[i]), live);
                    break;
                case Decoder.BR_IF:
                    or(live, target(labels, arg[i]));
                    break;
                case Decoder.BR_TABLE:
                    Arrays.fill(live, 0);
                    for (int l : table[i]) {
                        or(live, target(labels, l));
                    }
                    break;
                case Decoder.RETURN:
                case Decoder.UNREACHABLE:
                    Arrays.fill(live, 0);
                    break;
                case Decoder.LOCAL:
                    {
                        int x = arg[i];
                        if (op[i] == 0x20) {
                            live[x >>> 6] |= 1L << x;
                        } else {
                            live[x >>> 6] &= ~(1L << x);
                        }
                        break;
                    }
                default:
                    break;
            }
            keepBefore(i, live);
        }
    }

    /**
     * Stores {@code live} as what is live before instruction {@code i}, into the array stored there
     * by an earlier visit if any (an enclosing loop visits its body once per round).
     */
    private void keepBefore(int i, long[] live) {
        long[] b = before[i];
        if (b == null) {
            before[i] = live.clone();
        } else {
            copy(live, b);
        }
    }

    /** The construct opened at {@code s} and ended at {@code e}; {@code live} is after it. */
    private void construct(int s, int e, long[] live, List<long[]> labels) {
        if (kind[s] == Decoder.LOOP) {
            // An enclosing loop's later rounds start from this loop's set of the round before:
            // what is live only grows from round to round (the sets of the labels outside and after
            // it only grow), so that set is below the new fixed point and iterating from it
            // reaches the same one, in a round or two instead of as many as from nothing at each
            // level of a loop nest.
            long[] lab = label[s] != null ? label[s] : new long[words];
            long[] after = live.clone();
            while (true) {
                long[] in = after.clone();
                labels.add(lab);
                seq(s + 1, e, in, labels);
                labels.remove(labels.size() - 1);
                if (Arrays.equals(in, lab)) {
                    break;
                }
                or(lab, in);
            }
            label[s] = lab;
            copy(lab, live);
        } else if (kind[s] == Decoder.IF && elseAt[s] >= 0) {
            int el = elseAt[s];
            long[] after = live.clone();
            label[s] = after;
            long[] other = after.clone();
            labels.add(after);
            seq(el + 1, e, other, labels);
            before[el] = after.clone();
            seq(s + 1, el, live, labels);
            labels.remove(labels.size() - 1);
            or(live, other);
        } else {
            long[] after = live.clone();
            label[s] = after;
            labels.add(after);
            seq(s + 1, e, live, labels);
            labels.remove(labels.size() - 1);
            if (kind[s] == Decoder.IF) {
                or(live, after);
            }
        }
    }

    private long[] target(List<long[]> labels, int depth) {
        int k = labels.size() - 1 - depth;
        return k >= 0 ? labels.get(k) : new long[words];
    }

    private static void or(long[] into, long[] from) {
        for (int w = 0; w < into.length; w++) {
            into[w] |= from[w];
        }
    }

    private static void copy(long[] from, long[] into) {
        System.arraycopy(from, 0, into, 0, into.length);
    }

    private static final class OutOfBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfBudget() {
            super(null, null, false, false);
        }
    }
}
