package dev.airlock.core.fuel;

/** Reads what the pass needs from the sections before the code. */
final class ModuleSections {
    private ModuleSections() {}

    /** The type section: each type's parameter count. */
    static int[] types(ByteReader r) {
        int n = r.count();
        if (n > r.end() - r.pos()) {
            throw new MeteringException("malformed: type section too short");
        }
        int[] params = new int[n];
        for (int i = 0; i < n; i++) {
            int form = r.u8();
            if (form != 0x60) {
                throw new MeteringException(
                        form == 0x4E || form == 0x50 || form == 0x4F || form == 0x5F || form == 0x5E
                                ? "garbage collection types are not metered"
                                : String.format("malformed type form 0x%02x", form));
            }
            int p = r.count();
            for (int j = 0; j < p; j++) {
                Types.valType(r);
            }
            int results = r.count();
            for (int j = 0; j < results; j++) {
                Types.valType(r);
            }
            params[i] = p;
        }
        return params;
    }

    /** The import section: how many globals it imports. */
    static int importedGlobals(ByteReader r) {
        int n = r.count();
        int globals = 0;
        for (int i = 0; i < n; i++) {
            r.skip(r.count()); // module name
            r.skip(r.count()); // field name
            int kind = r.u8();
            switch (kind) {
                case 0:
                    r.u32();
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
        return globals;
    }

    /** Refuses an export of a global at or above {@code globals}. */
    static void checkExports(ByteReader r, long globals) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            r.skip(r.count());
            int kind = r.u8();
            long index = r.u32();
            if (kind == 3 && index >= globals) {
                throw new MeteringException("unknown global " + index + " exported");
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
