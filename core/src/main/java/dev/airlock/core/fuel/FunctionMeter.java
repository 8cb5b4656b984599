package dev.airlock.core.fuel;

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
    // what a twin returns besides the fuel
    /** Nothing: the twin returns the fuel left. */
    static final int VOID = 0;

    /** One i32: the twin returns it packed with the fuel it used, see {@link #meter}. */
    static final int PACKED_I32 = 1;

    /** One f32: packed as its bits, like {@link #PACKED_I32}. */
    static final int PACKED_F32 = 2;

    /** Anything else: the twin returns the results and leaves the fuel in the global. */
    static final int VALUE = 3;

    private final CostTable costs;
    private final int fuelGlobal;
    private final Callees callees;
    private final Decoder decoder = new Decoder();

    private final ControlFrames frames = new ControlFrames();

    // insertions and replacements, in body order
    private final FuelCode code = new FuelCode();

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
        ByteWriter body = new ByteWriter((end - start) * 2 + code.count() * 8 + 64);
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
        code.write(module, localsEnd, end, body, fuel, scratch, entry, fuelGlobal, kind);
        // the function's own end closed the block: pass the fuel back
        code.writeExit(body, kind, fuel, entry, fuelGlobal);
        body.u8(0x0B);
        out.u32(body.size());
        out.bytes(body);
    }

    /**
     * Pass one. Indices that were unknown before metering (of locals, globals and functions) are
     * refused: an instruction that used one was invalid and must stay so.
     */
    private void analyse(ByteReader r, long localCount) {
        frames.clear();
        code.clear();
        charges = 0;
        dynamic = false;
        wide = false;
        callsOut = false;
        live = true;
        frames.push(ControlFrames.FUNC, live);
        segment = -1;
        startSegment(r.pos(), true);
        while (frames.depth() > 0) {
            int at = r.pos();
            int kind = decoder.next(r);
            int after = r.pos();
            if (live) {
                code.charge(segment, costs.price(kind));
            }
            switch (kind) {
                case Decoder.LOCAL:
                    if (decoder.label >= localCount) {
                        throw new MeteringException("unknown local " + decoder.label);
                    }
                    if (decoder.label >= params) {
                        // the fuel parameter comes before the declared locals
                        replace(at, after, FuelCode.LOCAL, decoder.label + 1L);
                    }
                    break;
                case Decoder.GLOBAL:
                    if (decoder.label >= fuelGlobal) {
                        throw new MeteringException("unknown global " + decoder.label);
                    }
                    break;
                case Decoder.BLOCK:
                    frames.push(ControlFrames.BLOCK, live);
                    break;
                case Decoder.LOOP:
                    frames.push(ControlFrames.LOOP, live);
                    if (live) {
                        startSegment(after, true);
                    }
                    break;
                case Decoder.IF:
                    frames.push(ControlFrames.IF, live);
                    if (live) {
                        startSegment(after);
                    }
                    break;
                case Decoder.ELSE:
                    if (!frames.enterElse()) {
                        throw new MeteringException("malformed: else without if at " + at);
                    }
                    if (frames.entered(frames.depth() - 1)) {
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
                        replace(at, after, FuelCode.RETURN_BR, frames.depth() - 1L);
                    } else {
                        insert(at, FuelCode.RETURN, 0);
                    }
                    die();
                    break;
                case Decoder.UNREACHABLE:
                    if (live) {
                        // a guest's own trap: the runner reports the fuel used until here
                        insert(at, FuelCode.STORE, 0);
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
                        insert(at, FuelCode.STORE, 0);
                        insert(after, FuelCode.LOAD, 0);
                        callsOut = true;
                    }
                    break;
                case Decoder.MEMORY_GROW:
                    grow(at, after, FuelCode.GROW_MEMORY_AFTER, costs.memoryGrowPerPage());
                    break;
                case Decoder.TABLE_GROW:
                    grow(at, after, FuelCode.GROW_TABLE_AFTER, costs.tableElement());
                    break;
                case Decoder.BULK_MEMORY:
                    bulk(at, FuelCode.BULK_MEMORY, costs.bulkMemoryPerKiB());
                    break;
                case Decoder.BULK_TABLE:
                    bulk(at, FuelCode.BULK_TABLE, costs.tableElement());
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
            code.uncheck(0);
        }
        charges = code.charges();
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
            insert(at, FuelCode.STORE, 0);
            insert(after, FuelCode.LOAD, 0);
            return;
        }
        callsOut = true;
        switch (callees.kind(f)) {
            case VOID:
                replace(at, after, FuelCode.CALL_VOID, twin);
                break;
            case VALUE:
                replace(at, after, FuelCode.CALL_VALUE, twin);
                break;
            default:
                wide = true;
                replace(at, after, FuelCode.CALL_PACKED, twin | (long) callees.kind(f) << 32);
                break;
        }
    }

    private void end(int after) {
        int top = frames.pop();
        if (top == 0) {
            die();
            return;
        }
        boolean entered = frames.entered(top);
        switch (frames.kind(top)) {
            case ControlFrames.IF:
                if (entered) {
                    startSegment(after);
                } else {
                    die();
                }
                break;
            case ControlFrames.BLOCK:
                if (frames.targeted(top)) {
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
        if (label >= frames.depth()) {
            throw new MeteringException("malformed: branch to unknown label " + label);
        }
        if (live) {
            frames.target(label);
        }
    }

    private void grow(int at, int after, int type, long price) {
        if (live && price > 0) {
            insert(at, FuelCode.GROW_BEFORE, 0);
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
        segment = insert(at, checked ? FuelCode.STATIC_CHECKED : FuelCode.STATIC, 0);
    }

    private int insert(int at, int type, long value) {
        return code.add(at, at, type, value);
    }

    private int replace(int at, int end, int type, long value) {
        return code.add(at, end, type, value);
    }

    private void die() {
        live = false;
        segment = -1;
    }
}
