package dev.airlock.core.fuel;

import java.util.Arrays;

/**
 * Meters one function body into its metered twin, which takes the remaining fuel as an extra last
 * parameter. Pass one decodes the body, splits it into metered segments and records where fuel code
 * goes; pass two copies the body with that code inserted.
 *
 * <p>A segment is a run of instructions that is entered only at its first instruction and that runs
 * to its end unless something traps: it starts at the function's entry, after {@code loop} (the
 * target of back-edges), after {@code if} and {@code else}, after the {@code end} of an {@code if}
 * or of a {@code block} that some branch targets, and after {@code br_if}. Its cost, the sum of its
 * instructions' prices, is charged once at its start. Unreachable code (after {@code br}, {@code
 * br_table}, {@code return} or {@code unreachable}) is not charged.
 *
 * <p>Only the charges at loop headers and at the entry of functions that call other functions of
 * the module (directly or through a table) check for exhaustion (and those of bulk memory and table
 * instructions, before they run): every endless path passes one of them, and between two of them a
 * function runs a bounded stretch of code. Other charges only subtract, so fuel may go negative
 * until the next check point, a host call (the mediator refuses it) or the end of the run (the
 * runner reports a negative counter as exhaustion).
 *
 * <p>While the twin runs, the remaining fuel lives in its fuel parameter, which the compiler keeps
 * in a register. A call to another function of the module calls that function's twin with the fuel
 * as last argument. The twin of a function without results returns the remaining fuel as its only
 * result; the twin of one with a single i32 or f32 result returns one i64, the result's bits and
 * the fuel it used packed together (see {@link #meter}); the twin of any other function stores the
 * remaining fuel in the fuel global on its way out, where the caller reads it back. Around calls to
 * imports and {@code call_indirect} (which reach the original functions, now wrappers that pass the
 * global to their twin) the fuel goes through the global. A charge that leaves it negative at a
 * check stores it in the global and traps.
 */
final class FunctionMeter {
    // inserted code
    private static final int STATIC = 0;
    private static final int STATIC_CHECKED = 1;
    private static final int BULK_MEMORY = 2;
    private static final int BULK_TABLE = 3;
    private static final int GROW_BEFORE = 4;
    private static final int GROW_MEMORY_AFTER = 5;
    private static final int GROW_TABLE_AFTER = 6;
    private static final int STORE = 7;
    private static final int LOAD = 8;
    private static final int RETURN = 9;
    // replacements of an instruction
    private static final int LOCAL = 10;
    private static final int CALL_VOID = 11;
    private static final int CALL_VALUE = 12;
    private static final int CALL_PACKED = 13;
    private static final int RETURN_BR = 14;

    // what a twin returns besides the fuel
    /** Nothing: the twin returns the fuel left. */
    static final int VOID = 0;

    /** One i32: the twin returns it packed with the fuel it used, see {@link #meter}. */
    static final int PACKED_I32 = 1;

    /** One f32: packed as its bits, like {@link #PACKED_I32}. */
    static final int PACKED_F32 = 2;

    /** Anything else: the twin returns the results and leaves the fuel in the global. */
    static final int VALUE = 3;

    /** The fuel-used half of a packed result that says "too much: read the global". */
    private static final long SPILLED = 0xFFFF_FFFFL;

    // frames
    private static final int F_FUNC = 0;
    private static final int F_BLOCK = 1;
    private static final int F_LOOP = 2;
    private static final int F_IF = 3;

    private final CostTable costs;
    private final int fuelGlobal;
    private final Callees callees;
    private final Decoder decoder = new Decoder();

    // control frames
    private int[] frameKind = new int[64];
    private boolean[] frameLive = new boolean[64];
    private boolean[] frameTargeted = new boolean[64];
    private boolean[] frameElse = new boolean[64];
    private int depth;

    // insertions and replacements, in body order
    private int[] insAt = new int[256];
    private int[] insEnd = new int[256];
    private int[] insType = new int[256];
    private long[] insValue = new long[256];
    private int insCount;

    private int segment; // the insertion that charges the current segment, or -1 when dead
    private boolean live;
    private boolean dynamic;
    private boolean wide;
    private boolean callsOut;
    private int params;
    private int self;
    private int selfKind;

    /** Charges inserted in the last metered body. */
    int charges;

    /** The module's functions as call targets. */
    interface Callees {
        /** Index of the twin of function {@code f}, or -1 if {@code f} is imported. */
        int twin(int f);

        /** What the twin of defined function {@code f} returns: {@link #VOID}, ... */
        int kind(int f);

        /** Number of functions, imported and defined, before metering. */
        int count();

        /** Whether a declarative element segment declares function {@code f}. */
        boolean declared(int f);
    }

    FunctionMeter(CostTable costs, int fuelGlobal, Callees callees) {
        this.costs = costs;
        this.fuelGlobal = fuelGlobal;
        this.callees = callees;
    }

    /**
     * Meters the body {@code module[start..end)} (locals and code) of function {@code self} with
     * {@code params} parameters and appends its twin's body, size first, to {@code out}. The twin's
     * parameters are the function's plus the fuel; {@code blockType} is the encoded block type of
     * the function's results; {@code kind} what the twin returns ({@link #VOID}, ...).
     *
     * <p>A twin of kind {@link #PACKED_I32} or {@link #PACKED_F32} returns one i64: the result's 32
     * bits in the low half, the fuel it used (its fuel parameter minus the fuel left) in the high
     * half. Should it have used {@code 0xFFFFFFFF} or more, the high half is {@code 0xFFFFFFFF} and
     * the fuel left is in the global. Callers thus keep the fuel in a register across most calls.
     */
    void meter(
            byte[] module,
            int self,
            int start,
            int end,
            int params,
            byte[] blockType,
            int kind,
            ByteWriter out) {
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
        this.params = params;
        this.self = self;
        this.selfKind = kind;
        boolean packed = kind == PACKED_I32 || kind == PACKED_F32;
        analyse(r, params + locals);
        wide |= packed;
        long fuel = params;
        long scratch = params + 1 + locals;
        // i64 scratch: the fuel at entry, a packed result, the fuel a callee used
        long entry = scratch + (dynamic ? 2 : 0);
        ByteWriter body = new ByteWriter((end - start) * 2 + insCount * 8 + 64);
        body.u32(groups + (dynamic ? 1 : 0) + (wide ? 1 : 0));
        body.bytes(module, groupsEnd, localsEnd);
        if (dynamic) {
            body.u32(2).u8(0x7F); // i32 size and i32 result
        }
        if (wide) {
            body.u32(3).u8(0x7E);
        }
        if (packed) {
            body.u8(0x20).u32(fuel).u8(0x21).u32(entry);
        }
        // block $exit: the function's own end and every branch to its label arrive here
        body.u8(0x02).bytes(blockType, 0, blockType.length);
        emit(module, localsEnd, end, body, fuel, scratch, entry);
        // the function's own end closed the block: pass the fuel back
        if (packed) {
            long used = entry + 2;
            if (kind == PACKED_F32) {
                body.u8(0xBC); // i32.reinterpret_f32
            }
            body.u8(0xAD); // i64.extend_i32_u
            body.u8(0x20).u32(entry).u8(0x20).u32(fuel).u8(0x7D).u8(0x22).u32(used);
            body.u8(0x42).s64(SPILLED).u8(0x54); // i64.lt_u
            body.u8(0x04).u8(0x7E).u8(0x20).u32(used);
            body.u8(0x05).u8(0x20).u32(fuel).u8(0x24).u32(fuelGlobal).u8(0x42).s64(SPILLED);
            body.u8(0x0B);
            body.u8(0x42).s64(32).u8(0x86).u8(0x84); // i64.shl, i64.or
        } else {
            body.u8(0x20).u32(fuel);
            if (kind == VALUE) {
                body.u8(0x24).u32(fuelGlobal);
            }
        }
        body.u8(0x0B);
        out.u32(body.size());
        out.bytes(body);
    }

    /**
     * Pass one. Indices that were unknown before metering (of locals, globals and functions) are
     * refused: an instruction that used one was invalid and must stay so.
     */
    private void analyse(ByteReader r, long localCount) {
        depth = 0;
        insCount = 0;
        charges = 0;
        dynamic = false;
        wide = false;
        callsOut = false;
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
                    if (decoder.label >= params) {
                        // the fuel parameter comes before the declared locals
                        replace(at, after, LOCAL, decoder.label + 1L);
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
                    end(after);
                    break;
                case Decoder.BR:
                    target(decoder.label);
                    die();
                    break;
                case Decoder.BR_IF:
                    target(decoder.label);
                    if (live) {
                        startSegment(after);
                    }
                    break;
                case Decoder.BR_TABLE:
                    for (int i = 0; i < decoder.labelCount; i++) {
                        target(decoder.labels[i]);
                    }
                    die();
                    break;
                case Decoder.RETURN:
                    // also in unreachable code: a nested block there is typed again
                    if (selfKind == PACKED_I32 || selfKind == PACKED_F32) {
                        // to the end of block $exit, which packs the result
                        replace(at, after, RETURN_BR, depth - 1L);
                    } else {
                        insert(at, RETURN, 0);
                    }
                    die();
                    break;
                case Decoder.UNREACHABLE:
                    if (live) {
                        // a guest's own trap: the runner reports the fuel used until here
                        insert(at, STORE, 0);
                    }
                    die();
                    break;
                case Decoder.CALL:
                    call(at, after, decoder.label);
                    break;
                case Decoder.REF_FUNC:
                    if (decoder.label >= callees.count()) {
                        throw new MeteringException("unknown function " + decoder.label);
                    }
                    if (decoder.label == self && !callees.declared(self)) {
                        // what the engine's validator checks, which the twin would escape
                        throw new MeteringException("undeclared function reference");
                    }
                    break;
                case Decoder.CALL_INDIRECT:
                    if (live) {
                        insert(at, STORE, 0);
                        insert(after, LOAD, 0);
                        callsOut = true;
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
        if (!callsOut) {
            // no call can lead back here: loop headers bound what the function does
            insType[0] = STATIC;
        }
        for (int i = 0; i < insCount; i++) {
            if (isStatic(insType[i]) && insValue[i] > 0) {
                charges++;
            }
        }
    }

    private void call(int at, int after, int f) {
        if (f >= callees.count()) {
            throw new MeteringException("unknown function " + f);
        }
        if (!live) {
            return; // the original function, now a wrapper, has the same type
        }
        int twin = callees.twin(f);
        if (twin < 0) {
            insert(at, STORE, 0);
            insert(after, LOAD, 0);
            return;
        }
        callsOut = true;
        switch (callees.kind(f)) {
            case VOID:
                replace(at, after, CALL_VOID, twin);
                break;
            case VALUE:
                replace(at, after, CALL_VALUE, twin);
                break;
            default:
                wide = true;
                replace(at, after, CALL_PACKED, twin | (long) callees.kind(f) << 32);
                break;
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
                return costs.call();
            case Decoder.CALL_INDIRECT:
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

    private void target(int label) {
        if (label >= depth) {
            throw new MeteringException("malformed: branch to unknown label " + label);
        }
        if (live) {
            frameTargeted[depth - 1 - label] = true;
        }
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
        return replace(at, at, type, value);
    }

    /** Records code for {@code [at, end)}: inserted before it if empty, replacing it if not. */
    private int replace(int at, int end, int type, long value) {
        if (insCount == insAt.length) {
            int n = insCount * 2;
            insAt = Arrays.copyOf(insAt, n);
            insEnd = Arrays.copyOf(insEnd, n);
            insType = Arrays.copyOf(insType, n);
            insValue = Arrays.copyOf(insValue, n);
        }
        insAt[insCount] = at;
        insEnd[insCount] = end;
        insType[insCount] = type;
        insValue[insCount] = value;
        return insCount++;
    }

    private void emit(
            byte[] module, int from, int to, ByteWriter body, long fuel, long scratch, long entry) {
        long n32 = scratch;
        long r32 = scratch + 1;
        long packed = entry + 1;
        long used = entry + 2;
        int copied = from;
        for (int i = 0; i < insCount; i++) {
            long v = insValue[i];
            if (isStatic(insType[i]) && v == 0) {
                continue;
            }
            body.bytes(module, copied, insAt[i]);
            copied = insEnd[i];
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
                case RETURN:
                    body.u8(0x20).u32(fuel);
                    if (selfKind == VALUE) {
                        body.u8(0x24).u32(fuelGlobal);
                    }
                    break;
                case RETURN_BR:
                    body.u8(0x0C).u32(v);
                    break;
                case CALL_PACKED:
                    body.u8(0x20).u32(fuel).u8(0x10).u32(v & 0xFFFF_FFFFL);
                    body.u8(0x22).u32(packed).u8(0x42).s64(32).u8(0x88).u8(0x22).u32(used);
                    body.u8(0x42).s64(SPILLED).u8(0x51); // i64.eq
                    body.u8(0x04).u8(0x7E).u8(0x23).u32(fuelGlobal);
                    body.u8(0x05).u8(0x20).u32(fuel).u8(0x20).u32(used).u8(0x7D).u8(0x0B);
                    body.u8(0x21).u32(fuel).u8(0x20).u32(packed).u8(0xA7); // i32.wrap_i64
                    if ((v >>> 32) == PACKED_F32) {
                        body.u8(0xBE); // f32.reinterpret_i32
                    }
                    break;
                case LOCAL:
                    body.u8(module[insAt[i]] & 0xff).u32(v);
                    break;
                case CALL_VOID:
                    body.u8(0x20).u32(fuel).u8(0x10).u32(v).u8(0x21).u32(fuel);
                    break;
                case CALL_VALUE:
                    body.u8(0x20).u32(fuel).u8(0x10).u32(v);
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
