package dev.airlock.core.fuel;

import java.util.Set;

/** Reads what the pass needs from the sections before the code. */
final class ModuleSections {
    private ModuleSections() {}

    /**
     * A function type: where its parameter and result value types lie in the module (one byte each,
     * typed references being refused).
     */
    record FuncType(int params, int paramsAt, int results, int resultsAt) {}

    /** The type section's function types. */
    static FuncType[] types(ByteReader r) {
        int n = r.count();
        if (n > r.end() - r.pos()) {
            throw new MeteringException("malformed: type section too short");
        }
        FuncType[] types = new FuncType[n];
        for (int i = 0; i < n; i++) {
            int form = r.u8();
            if (form != 0x60) {
                throw new MeteringException(
                        form == 0x4E || form == 0x50 || form == 0x4F || form == 0x5F || form == 0x5E
                                ? "garbage collection types are not metered"
                                : String.format("malformed type form 0x%02x", form));
            }
            int p = r.count();
            int pAt = r.pos();
            for (int j = 0; j < p; j++) {
                Types.valType(r);
            }
            int results = r.count();
            int rAt = r.pos();
            for (int j = 0; j < results; j++) {
                Types.valType(r);
            }
            types[i] = new FuncType(p, pAt, results, rAt);
        }
        return types;
    }

    /** How many functions and globals the import section imports. */
    record Imported(int functions, int globals) {}

    /** The import section: how many functions and globals it imports. */
    static Imported imported(ByteReader r) {
        int n = r.count();
        int functions = 0;
        int globals = 0;
        for (int i = 0; i < n; i++) {
            r.skip(r.count()); // module name
            r.skip(r.count()); // field name
            int kind = r.u8();
            switch (kind) {
                case 0:
                    r.u32();
                    functions++;
                    break;
                case 1:
                    Types.refType(r);
                    Types.limits(r, "table");
                    break;
                case 2:
                    Types.limits(r, "memory");
                    break;
                case 3:
                    Types.valType(r);
                    r.u8();
                    globals++;
                    break;
                case 4:
                    throw new MeteringException("exception handling (tag import) is not metered");
                default:
                    throw new MeteringException("malformed import kind " + kind);
            }
        }
        return new Imported(functions, globals);
    }

    /** Refuses an export of a function or global the metered module would add. */
    static void checkExports(ByteReader r, long functions, long globals) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            r.skip(r.count());
            int kind = r.u8();
            long index = r.u32();
            if (kind == 3 && index >= globals) {
                throw new MeteringException("unknown global " + index + " exported");
            }
            if (kind == 0 && index >= functions) {
                throw new MeteringException("unknown function " + index + " exported");
            }
        }
    }

    /** Refuses a start function the metered module would add. */
    static void checkStart(ByteReader r, long functions) {
        long f = r.u32();
        if (f >= functions) {
            throw new MeteringException("unknown start function " + f);
        }
    }

    /** Refuses a {@code ref.func} in global initializers of a function the metering would add. */
    static void checkGlobals(ByteReader r, int functions) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            Types.valType(r);
            r.u8();
            constExpr(r, functions);
        }
    }

    /**
     * Refuses element segments that name a function the metering would add; adds the functions of
     * declarative segments to {@code declared}.
     */
    static void checkElements(ByteReader r, int functions, Set<Integer> declared) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            long flags = r.u32();
            if (flags > 7) {
                throw new MeteringException("malformed element segment flags " + flags);
            }
            int f = (int) flags;
            if (f == 2 || f == 6) {
                r.u32(); // table index
            }
            if ((f & 1) == 0) {
                constExpr(r, functions); // active: offset
            }
            if ((f & 3) != 0) {
                r.u8(); // element kind or reference type
            }
            int count = r.count();
            boolean declarative = f == 3 || f == 7;
            for (int j = 0; j < count; j++) {
                if ((f & 4) == 0) {
                    long idx = r.u32();
                    if (idx >= functions) {
                        throw new MeteringException("unknown function " + idx + " in elements");
                    }
                    if (declarative) {
                        declared.add((int) idx);
                    }
                } else {
                    int ref = constExpr(r, functions);
                    if (declarative && ref >= 0) {
                        declared.add(ref);
                    }
                }
            }
        }
    }

    /** Reads a constant expression; returns the function of a leading ref.func, else -1. */
    private static int constExpr(ByteReader r, int functions) {
        Decoder d = new Decoder();
        int first = -1;
        for (int i = 0; ; i++) {
            int kind = d.next(r);
            if (kind == Decoder.END) {
                return first;
            }
            if (kind == Decoder.REF_FUNC) {
                if (d.label >= functions) {
                    throw new MeteringException("unknown function " + d.label);
                }
                if (i == 0) {
                    first = d.label;
                }
            }
        }
    }

    /** The function section: each defined function's type index. */
    static int[] functions(ByteReader r) {
        int n = r.count();
        if (n > r.end() - r.pos()) {
            throw new MeteringException("malformed: function section too short");
        }
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = r.count();
        }
        return types;
    }

    /** The table section, read only to refuse 64-bit and typed tables. */
    static void tables(ByteReader r) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            if (r.peek() == 0x40) {
                throw new MeteringException("tables with initializers are not metered");
            }
            Types.refType(r);
            Types.limits(r, "table");
        }
    }

    /** The memory section, read only to refuse 64-bit and shared memories. */
    static void memories(ByteReader r) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            Types.limits(r, "memory");
        }
    }
}
