package dev.airlock.core.fuel;

import java.util.Arrays;

/**
 * Meters one function body. Pass one decodes the body, splits it into metered segments and records
 * where fuel code goes; pass two copies the body with that code inserted.
 *
 * <p>A segment is a run of instructions that is entered only at its first instruction and that runs
 * to its end unless something traps: it starts at the function's entry, after {@code loop} (the
 * target of back-edges), after {@code if} and {@code else}, after the {@code end} of an {@code if}
 * or of a {@code block} that some branch targets, and after {@code br_if}. Its cost, the sum of its
 * instructions' prices, is charged once at its start. Unreachable code (after {@code br}, {@code
 * br_table}, {@code return} or {@code unreachable}) is not charged.
 *
 * <p>While a function runs, its remaining fuel lives in a new i64 local, which the compiler keeps
 * in a register: the function loads it from the fuel global on entry, stores it back before every
 * call (so the callee and the host see it) and reloads it after, and stores it before it returns. A
 * charge that leaves it negative stores it and traps.
 */
final class FunctionMeter {
    // inserted code
    private static final int STATIC = 0;
    private static final int STATIC_CHECKED = 8;
    private static final int BULK_MEMORY = 1;
    private static final int BULK_TABLE = 2;
    private static final int GROW_BEFORE = 3;
    private static final int GROW_MEMORY_AFTER = 4;
    private static final int GROW_TABLE_AFTER = 5;
    private static final int STORE = 6;
    private static final int LOAD = 7;

    // frames
    private static final int F_FUNC = 0;
    private static final int F_BLOCK = 1;
    private static final int F_LOOP = 2;
    private static final int F_IF = 3;

    private final CostTable costs;
    private final int fuelGlobal;
    private final Decoder decoder = new Decoder();

    // control frames
    private int[] frameKind = new int[64];
    private boolean[] frameLive = new boolean[64];
    private boolean[] frameTargeted = new boolean[64];
    private boolean[] frameElse = new boolean[64];
    private int depth;

    // insertions, in body order
    private int[] insAt = new int[256];
    private int[] insType = new int[256];
    private long[] insValue = new long[256];
    private int insCount;

    private int segment; // the insertion that charges the current segment, or -1 when dead
    private boolean live;
    private boolean dynamic;

    /** Charges inserted in the last metered body. */
    int charges;

    FunctionMeter(CostTable costs, int fuelGlobal) {
        this.costs = costs;
        this.fuelGlobal = fuelGlobal;
    }

    /**
     * Meters the body {@code module[start..end)} (locals and code) of a function with {@code
     * params} parameters and appends the new body, size first, to {@code out}.
     */
    void meter(byte[] module, int start, int end, int params, ByteWriter out) {
        ByteReader r = new ByteReader(module, start, end);
        int groups = r.count();
        int groupsEnd = r.pos();
        long locals = 0;
        for (int i = 0; i < groups; i++) {
            locals += r.u32();
            Types.valType(r);
            if (locals > 50_000_000L) {
                throw new MeteringException("too many locals");
            }
        }
        int localsEnd = r.pos();
        long fuel = params + locals;
        analyse(r, fuel);
        ByteWriter body = new ByteWriter(end - start + insCount * 16 + 16);
        boolean any = charges > 0 || dynamic;
        body.u32(groups + (any ? 1 : 0) + (dynamic ? 1 : 0));
        body.bytes(module, groupsEnd, localsEnd);
        if (any) {
            body.u32(1).u8(0x7E); // i64 fuel
            if (dynamic) {
                body.u32(2).u8(0x7F); // i32 size and i32 result
            }
            body.u8(0x23).u32(fuelGlobal).u8(0x21).u32(fuel); // fuel = global
            emit(module, localsEnd, end, body, fuel);
        } else {
            // nothing is ever charged here: the body stays as it was
            body.bytes(module, localsEnd, end);
        }
        out.u32(body.size());
        out.bytes(body);
    }

    /**
     * Pass one. The new locals and global get indices that were unknown before: an instruction that
     * used one of them was invalid and must stay so, hence the range checks.
     */
    private void analyse(ByteReader r, long localCount) {
        depth = 0;
        insCount = 0;
        charges = 0;
        dynamic = false;
        live = true;
        push(F_FUNC);
        segment = -1;
        startSegment(r.pos(), true);
        while (depth > 0) {
            int at = r.pos();
            int kind = decoder.next(r);
            int after = r.pos();
            if (live) {
                insValue[segment] += price(kind);
            }
            switch (kind) {
                case Decoder.LOCAL:
                    if (decoder.label >= localCount) {
                        throw new MeteringException("unknown local " + decoder.label);
                    }
                    break;
                case Decoder.GLOBAL:
                    if (decoder.label >= fuelGlobal) {
                        throw new MeteringException("unknown global " + decoder.label);
                    }
                    break;
                case Decoder.BLOCK:
                    push(F_BLOCK);
                    break;
                case Decoder.LOOP:
                    push(F_LOOP);
                    if (live) {
                        startSegment(after, true);
                    }
                    break;
                case Decoder.IF:
                    push(F_IF);
                    if (live) {
                        startSegment(after);
                    }
                    break;
                case Decoder.ELSE:
                    if (frameKind[depth - 1] != F_IF || frameElse[depth - 1]) {
                        throw new MeteringException("malformed: else without if at " + at);
                    }
                    frameElse[depth - 1] = true;
                    if (frameLive[depth - 1]) {
                        startSegment(after);
                    } else {
                        die();
                    }
                    break;
                case Decoder.END:
                    if (depth == 1 && live) {
                        insert(at, STORE, 0); // falling off the end returns
                    }
                    end(after);
                    break;
                case Decoder.BR:
                    if (target(decoder.label)) {
                        insert(at, STORE, 0);
                    }
                    die();
                    break;
                case Decoder.BR_IF:
                    if (target(decoder.label)) {
                        insert(at, STORE, 0);
                    }
                    if (live) {
                        startSegment(after);
                    }
                    break;
                case Decoder.BR_TABLE:
                    boolean returns = false;
                    for (int i = 0; i < decoder.labelCount; i++) {
                        returns |= target(decoder.labels[i]);
                    }
                    if (returns) {
                        insert(at, STORE, 0);
                    }
                    die();
                    break;
                case Decoder.RETURN:
                case Decoder.RETURN_CALL:
                case Decoder.RETURN_CALL_INDIRECT:
                    if (live) {
                        insert(at, STORE, 0);
                    }
                    die();
                    break;
                case Decoder.UNREACHABLE:
                    die();
                    break;
                case Decoder.CALL:
                case Decoder.CALL_INDIRECT:
                    if (live) {
                        insert(at, STORE, 0);
                        insert(after, LOAD, 0);
                    }
                    break;
                case Decoder.MEMORY_GROW:
                    grow(at, after, GROW_MEMORY_AFTER, costs.memoryGrowPerPage());
                    break;
                case Decoder.TABLE_GROW:
                    grow(at, after, GROW_TABLE_AFTER, costs.tableElement());
                    break;
                case Decoder.BULK_MEMORY:
                    bulk(at, BULK_MEMORY, costs.bulkMemoryPerKiB());
                    break;
                case Decoder.BULK_TABLE:
                    bulk(at, BULK_TABLE, costs.tableElement());
                    break;
                default:
                    break;
            }
        }
        if (!r.atEnd()) {
            throw new MeteringException("malformed: code after the end of a function body");
        }
        for (int i = 0; i < insCount; i++) {
            if (isStatic(insType[i]) && insValue[i] > 0) {
                charges++;
            }
        }
    }

    private static boolean isStatic(int type) {
        return type == STATIC || type == STATIC_CHECKED;
    }

    private long price(int kind) {
        switch (kind) {
            case Decoder.BLOCK:
            case Decoder.LOOP:
            case Decoder.ELSE:
            case Decoder.END:
                return 0;
            case Decoder.CALL:
            case Decoder.RETURN_CALL:
                return costs.call();
            case Decoder.CALL_INDIRECT:
            case Decoder.RETURN_CALL_INDIRECT:
                return costs.callIndirect();
            case Decoder.MEMORY_GROW:
                return costs.memoryGrow();
            case Decoder.BULK_MEMORY:
                return costs.bulkMemory();
            case Decoder.BULK_TABLE:
            case Decoder.TABLE_GROW:
                return costs.bulkTable();
            default:
                return costs.instruction();
        }
    }

    private void end(int after) {
        depth--;
        int kind = frameKind[depth];
        if (depth == 0) {
            die();
            return;
        }
        boolean entered = frameLive[depth];
        switch (kind) {
            case F_IF:
                if (entered) {
                    startSegment(after);
                } else {
                    die();
                }
                break;
            case F_BLOCK:
                if (frameTargeted[depth]) {
                    if (entered) {
                        startSegment(after);
                    } else {
                        die();
                    }
                }
                // not targeted: only fallthrough reaches the code after it, same segment
                break;
            default:
                // a loop: likewise only fallthrough
                break;
        }
    }

    /** Marks a live branch's target; true if the branch leaves the function. */
    private boolean target(int label) {
        if (label >= depth) {
            throw new MeteringException("malformed: branch to unknown label " + label);
        }
        if (!live) {
            return false;
        }
        int frame = depth - 1 - label;
        frameTargeted[frame] = true;
        return frame == 0;
    }

    private void grow(int at, int after, int type, long price) {
        if (live && price > 0) {
            insert(at, GROW_BEFORE, 0);
            insert(after, type, price);
            dynamic = true;
        }
    }

    private void bulk(int at, int type, long price) {
        if (live && price > 0) {
            insert(at, type, price);
            dynamic = true;
        }
    }

    private void startSegment(int at) {
        startSegment(at, false);
    }

    private void startSegment(int at, boolean checked) {
        live = true;
        segment = insert(at, checked ? STATIC_CHECKED : STATIC, 0);
    }

    private void die() {
        live = false;
        segment = -1;
    }

    private void push(int kind) {
        if (depth == frameKind.length) {
            int n = depth * 2;
            frameKind = Arrays.copyOf(frameKind, n);
            frameLive = Arrays.copyOf(frameLive, n);
            frameTargeted = Arrays.copyOf(frameTargeted, n);
            frameElse = Arrays.copyOf(frameElse, n);
        }
        frameKind[depth] = kind;
        frameLive[depth] = live;
        frameTargeted[depth] = false;
        frameElse[depth] = false;
        depth++;
    }

    private int insert(int at, int type, long value) {
        if (insCount == insAt.length) {
            int n = insCount * 2;
            insAt = Arrays.copyOf(insAt, n);
            insType = Arrays.copyOf(insType, n);
            insValue = Arrays.copyOf(insValue, n);
        }
        insAt[insCount] = at;
        insType[insCount] = type;
        insValue[insCount] = value;
        return insCount++;
    }

    private void emit(byte[] module, int from, int to, ByteWriter body, long fuel) {
        long n32 = fuel + 1;
        long r32 = fuel + 2;
        int copied = from;
        for (int i = 0; i < insCount; i++) {
            long v = insValue[i];
            if (isStatic(insType[i]) && v == 0) {
                continue;
            }
            body.bytes(module, copied, insAt[i]);
            copied = insAt[i];
            switch (insType[i]) {
                case STATIC_CHECKED:
                    body.u8(0x20).u32(fuel).u8(0x42).s64(v).u8(0x7D);
                    checkedSet(body, fuel);
                    break;
                case STATIC:
                    body.u8(0x20).u32(fuel).u8(0x42).s64(v).u8(0x7D).u8(0x21).u32(fuel);
                    break;
                case STORE:
                    body.u8(0x20).u32(fuel).u8(0x24).u32(fuelGlobal);
                    break;
                case LOAD:
                    body.u8(0x23).u32(fuelGlobal).u8(0x21).u32(fuel);
                    break;
                case BULK_MEMORY:
                    body.u8(0x22).u32(n32);
                    body.u8(0x20).u32(fuel).u8(0x20).u32(n32).u8(0xAD);
                    body.u8(0x42).s64(v).u8(0x7E).u8(0x42).s64(10).u8(0x88).u8(0x7D);
                    checkedSet(body, fuel);
                    break;
                case BULK_TABLE:
                    body.u8(0x22).u32(n32);
                    body.u8(0x20).u32(fuel).u8(0x20).u32(n32).u8(0xAD);
                    body.u8(0x42).s64(v).u8(0x7E).u8(0x7D);
                    checkedSet(body, fuel);
                    break;
                case GROW_BEFORE:
                    body.u8(0x22).u32(n32);
                    break;
                default: // GROW_*_AFTER: charge the granted size if the grow succeeded
                    body.u8(0x22).u32(r32).u8(0x41).s64(-1).u8(0x47).u8(0x04).u8(0x40);
                    body.u8(0x20).u32(fuel).u8(0x20).u32(n32).u8(0xAD);
                    body.u8(0x42).s64(v).u8(0x7E).u8(0x7D);
                    checkedSet(body, fuel);
                    body.u8(0x0B).u8(0x20).u32(r32);
                    break;
            }
        }
        body.bytes(module, copied, to);
    }

    /**
     * fuel = top; if it is negative, store it in the global and trap: the runner tells this trap
     * from the guest's own {@code unreachable} by the global's sign.
     */
    private void checkedSet(ByteWriter body, long fuel) {
        body.u8(0x22).u32(fuel).u8(0x42).u8(0x00).u8(0x53).u8(0x04).u8(0x40);
        body.u8(0x20).u32(fuel).u8(0x24).u32(fuelGlobal).u8(0x00).u8(0x0B);
    }
}
