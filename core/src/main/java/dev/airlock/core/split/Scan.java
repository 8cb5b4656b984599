package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.Decoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One pass over a function's code: its structured instructions (with their label arities and
 * nesting), and the candidate regions, which are those instructions and runs of instructions of one
 * block body between points where that body's operand stack is empty.
 */
final class Scan {
    /**
     * A region: code bytes [start, end); construct is its block, or -1 for a run; result is the
     * type of the one value a run leaves on the operand stack (an expression), 0 for none.
     */
    record Region(int start, int end, int construct, int enclosing, byte result) {
        Region(int start, int end, int construct, int enclosing) {
            this(start, end, construct, enclosing, (byte) 0);
        }

        int size() {
            return end - start;
        }
    }

    int[] start = new int[16];
    int[] parent = new int[16];
    int[] arity = new int[16];
    int[] results = new int[16];
    boolean[] loop = new boolean[16];
    int count;
    final List<Region> regions = new ArrayList<>();

    /**
     * The {@linkplain Weights weight} of the code before each instruction boundary (0 elsewhere).
     */
    private int[] w;

    private final int access;

    private final Splitter.Model model;
    private final int limit;
    private final int min;

    /** The frame of an open block (or of the function: construct -1). */
    private static final class Frame {
        int construct;
        int params;
        int height;
        boolean unknown;
        int[] cuts = new int[8];
        int cutCount;

        /**
         * The last instruction boundary at each operand stack height, for heights below lastAtLen:
         * the stack did not go below that height since (-1: no boundary there).
         */
        int[] lastAt = new int[8];

        int lastAtLen;

        /** An instruction takes the stack down to {@code low} on its way. */
        void lowered(int low) {
            lastAtLen = Math.max(0, Math.min(lastAtLen, low + 1));
        }
    }

    /**
     * @param spillBase the first {@linkplain Spills spill global}: no region may start or end
     *     between the setting of one and the call that reads it
     */
    Scan(Splitter.Model model, byte[] code, int spillBase, int limit, int min) {
        this(model, code, null, spillBase, limit, min, 0);
    }

    /**
     * @param localTypes the function's parameter and local types, which expressions need (null: no
     *     expressions)
     * @param access the {@linkplain Weights weight} of a memory access beyond its bytes; {@code
     *     limit} and {@code min} are weights
     */
    Scan(
            Splitter.Model model,
            byte[] code,
            byte[] localTypes,
            int spillBase,
            int limit,
            int min,
            int access) {
        this.model = model;
        this.access = access;
        this.limit = limit;
        this.min = min;
        this.localTypes = localTypes;
        run(code, spillBase);
    }

    private final byte[] localTypes;

    /** The parameter and result types of the block type at {@code r}. */
    static byte[][] blockType(Splitter.Model model, ByteReader r) {
        int b = r.peek();
        if (b == 0x40) {
            r.u8();
            return new byte[][] {new byte[0], new byte[0]};
        }
        if (Body.isValType(b)) {
            r.u8();
            return new byte[][] {new byte[0], new byte[] {(byte) b}};
        }
        int t = (int) r.signed(33);
        if (t < 0 || t >= model.originalTypes) {
            throw new IllegalArgumentException("bad block type");
        }
        return new byte[][] {model.params.get(t), model.results.get(t)};
    }

    private void run(byte[] code, int spillBase) {
        ByteReader r = new ByteReader(code, 0, code.length);
        Decoder d = new Decoder();
        w = new int[code.length + 1];
        List<Frame> stack = new ArrayList<>();
        Frame top = new Frame();
        top.construct = -1;
        stack.add(top);
        boolean spilling = false;
        byte pushed = 0;
        while (!stack.isEmpty()) {
            top = stack.get(stack.size() - 1);
            int pos = r.pos();
            if (!top.unknown && !spilling) {
                if (top.height == 0) {
                    addCut(top, pos);
                }
                if (localTypes != null) {
                    expression(top, pos, pushed);
                }
            }
            pushed = 0;
            int kind = d.next(r);
            w[r.pos()] = w[pos] + (r.pos() - pos) + Weights.extra(d.op, access);
            if (kind == Decoder.GLOBAL && d.op == 0x24 && d.label >= spillBase) {
                spilling = true;
            } else if (kind == Decoder.CALL) {
                spilling = false;
            }
            switch (kind) {
                case Decoder.BLOCK:
                case Decoder.LOOP:
                case Decoder.IF:
                    {
                        byte[][] bt = blockType(model, new ByteReader(code, pos + 1, code.length));
                        int c = addConstruct(pos, top.construct);
                        arity[c] = kind == Decoder.LOOP ? bt[0].length : bt[1].length;
                        loop[c] = kind == Decoder.LOOP;
                        results[c] = bt[1].length;
                        top.height -= bt[0].length + (kind == Decoder.IF ? 1 : 0);
                        top.lowered(top.height);
                        if (top.height < 0) {
                            top.unknown = true;
                        }
                        Frame f = new Frame();
                        f.construct = c;
                        f.params = bt[0].length;
                        f.height = f.params;
                        stack.add(f);
                        break;
                    }
                case Decoder.ELSE:
                    endSegment(top);
                    top.height = top.params;
                    top.unknown = false;
                    top.lastAtLen = 0;
                    break;
                case Decoder.END:
                    endSegment(top);
                    stack.remove(stack.size() - 1);
                    if (top.construct >= 0) {
                        Frame p = stack.get(stack.size() - 1);
                        p.height += results[top.construct];
                        regions.add(
                                new Region(
                                        start[top.construct], r.pos(), top.construct, p.construct));
                    }
                    break;
                case Decoder.BR:
                case Decoder.BR_TABLE:
                case Decoder.RETURN:
                case Decoder.UNREACHABLE:
                    top.unknown = true;
                    top.lastAtLen = 0;
                    break;
                default:
                    int e = effect(d, kind, code, pos);
                    if (e < 0) {
                        top.unknown = true;
                        top.lastAtLen = 0;
                    } else {
                        top.lowered(top.height - (e >>> 16));
                        if ((e & 0xFFFF) == 1 && localTypes != null) {
                            pushed = pushedType(d, kind, code, pos);
                        }
                        top.height += (e & 0xFFFF) - (e >>> 16);
                        if (top.height < 0) {
                            top.unknown = true;
                        }
                    }
                    break;
            }
        }
        if (!r.atEnd()) {
            throw new IllegalArgumentException("bytes after the end");
        }
    }

    /** The {@linkplain Weights weight} of region {@code r}. */
    int size(Region r) {
        return w[r.end()] - w[r.start()];
    }

    /** The {@linkplain Weights weight} of the whole code. */
    int total() {
        return w[w.length - 1];
    }

    private int addConstruct(int pos, int enclosing) {
        if (count == start.length) {
            int n = count * 2;
            start = Arrays.copyOf(start, n);
            parent = Arrays.copyOf(parent, n);
            arity = Arrays.copyOf(arity, n);
            results = Arrays.copyOf(results, n);
            loop = Arrays.copyOf(loop, n);
        }
        start[count] = pos;
        parent[count] = enclosing;
        return count++;
    }

    /**
     * Whether the body has a {@code loop}. Without one each instruction runs at most once a call,
     * so outlining its expressions adds at most one call a piece per call of the function.
     */
    boolean hasLoop() {
        for (int k = 0; k < count; k++) {
            if (loop[k]) {
                return true;
            }
        }
        return false;
    }

    /** Loops around each construct, itself included; made on first use, after the scan. */
    private int[] loopDepth;

    /**
     * How many loops enclose, counting construct {@code c} itself (-1: the function). Constant
     * time: the outliner sorts every region by it, and walking the parents on each comparison made
     * a deeply nested body (10,000 loops) take minutes.
     */
    int loops(int c) {
        if (c < 0) {
            return 0;
        }
        if (loopDepth == null) {
            int[] d = new int[count];
            for (int k = 0; k < count; k++) {
                // a construct's parent opened before it, so its depth is known
                d[k] = (parent[k] >= 0 ? d[parent[k]] : 0) + (loop[k] ? 1 : 0);
            }
            loopDepth = d;
        }
        return loopDepth[c];
    }

    /**
     * At an instruction boundary of {@code f}'s body: the run since the last boundary one value
     * lower is an expression region if the instruction before pushed one value of a known type;
     * then this boundary is remembered at its height.
     */
    private void expression(Frame f, int pos, byte pushed) {
        int h = f.height;
        if (pushed != 0 && h >= 1 && h - 1 < f.lastAtLen && f.lastAt[h - 1] >= 0) {
            int size = w[pos] - w[f.lastAt[h - 1]];
            if (size >= min && size <= limit) {
                regions.add(new Region(f.lastAt[h - 1], pos, -1, f.construct, pushed));
            }
        }
        if (h >= f.lastAt.length) {
            f.lastAt = Arrays.copyOf(f.lastAt, Math.max(h + 1, f.lastAt.length * 2));
        }
        for (int k = f.lastAtLen; k < h; k++) {
            f.lastAt[k] = -1;
        }
        f.lastAt[h] = pos;
        f.lastAtLen = h + 1;
    }

    /** The type of the one value the instruction at {@code pos} pushes, 0 if not known here. */
    private byte pushedType(Decoder d, int kind, byte[] code, int pos) {
        int op = d.op;
        if (kind == Decoder.LOCAL) {
            return op == 0x20 || op == 0x22 ? localTypes[d.label] : 0;
        }
        if (kind == Decoder.CALL || kind == Decoder.CALL_INDIRECT) {
            int t = kind == Decoder.CALL ? model.funcTypes.get(d.label) : indirectType(code, pos);
            byte[] res = model.results.get(t);
            return res.length == 1 ? res[0] : 0;
        }
        return ValueTypes.pushedBy(op);
    }

    private static int indirectType(byte[] code, int pos) {
        return new ByteReader(code, pos + 1, code.length).count();
    }

    private static void addCut(Frame f, int pos) {
        if (f.cutCount == f.cuts.length) {
            f.cuts = Arrays.copyOf(f.cuts, f.cutCount * 2);
        }
        f.cuts[f.cutCount++] = pos;
    }

    /** Turns a body segment's cut points into runs of at most {@code limit} bytes. */
    private void endSegment(Frame f) {
        int[] c = f.cuts;
        int n = f.cutCount;
        int i = 0;
        while (i < n - 1) {
            int j = i + 1;
            while (j + 1 < n && w[c[j + 1]] - w[c[i]] <= limit) {
                j++;
            }
            int size = w[c[j]] - w[c[i]];
            if (size <= limit && size >= min && j > i + 1) {
                regions.add(new Region(c[i], c[j], -1, f.construct));
                i = j;
            } else {
                i++;
            }
        }
        f.cutCount = 0;
    }

    /** Pops in the high half, pushes in the low; -1 when not known. */
    private int effect(Decoder d, int kind, byte[] code, int pos) {
        if (kind == Decoder.CALL) {
            int t = model.funcTypes.get(d.label);
            return (model.params.get(t).length << 16) | model.results.get(t).length;
        }
        if (kind == Decoder.CALL_INDIRECT) {
            ByteReader r = new ByteReader(code, pos + 1, code.length);
            int t = r.count();
            return ((model.params.get(t).length + 1) << 16) | model.results.get(t).length;
        }
        return StackEffects.of(kind, d.op);
    }
}
