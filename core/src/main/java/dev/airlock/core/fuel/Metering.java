package dev.airlock.core.fuel;

import java.util.ArrayList;
import java.util.List;

/**
 * The metering pass: rewrites a WebAssembly module so that it counts its own work against a fuel
 * counter and traps when the counter would go negative. Pure Java over the binary format; the
 * output must still be validated by the engine.
 *
 * <p>What it does:
 *
 * <ul>
 *   <li>appends one mutable i64 global, the remaining fuel, to the global section (created if
 *       absent), so the indices of existing globals do not move; it starts at 0, and the engine
 *       creates it with the budget instead;
 *   <li>in every function, charges each segment's static cost at its start ({@link FunctionMeter})
 *       with {@code global.get; i64.const cost; i64.sub; local.tee; global.set; local.get;
 *       i64.const 0; i64.lt_s; if unreachable end}: fuel that would go negative is stored negative
 *       and traps, which is how the engine tells an out-of-fuel trap from the guest's own {@code
 *       unreachable};
 *   <li>charges sizes at run time before {@code memory.copy/fill/init} and {@code
 *       table.copy/fill/init}, and after a successful {@code memory.grow} or {@code table.grow}.
 * </ul>
 *
 * Nothing else changes: no import is added, no index moves, and the other sections are copied byte
 * for byte.
 */
public final class Metering {
    private static final int GLOBAL_RANK = 7;

    private Metering() {}

    /**
     * Meters a module.
     *
     * @throws MeteringException if the module is malformed or uses what the pass cannot meter
     */
    public static Metered instrument(byte[] module, CostTable costs) {
        try {
            return rewrite(module, costs);
        } catch (MeteringException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new MeteringException("module too large to meter");
        } catch (RuntimeException | StackOverflowError e) {
            throw new MeteringException("malformed module (" + e + ")");
        }
    }

    private record Section(int id, int start, int end) {}

    private static Metered rewrite(byte[] m, CostTable costs) {
        if (m.length < 8
                || m[0] != 0
                || m[1] != 'a'
                || m[2] != 's'
                || m[3] != 'm'
                || m[4] != 1
                || m[5] != 0
                || m[6] != 0
                || m[7] != 0) {
            throw new MeteringException("malformed: not a WebAssembly 1.0 module");
        }
        ByteReader r = new ByteReader(m, 8, m.length);
        List<Section> sections = new ArrayList<>();
        int[] paramCounts = new int[0];
        int[] funcTypes = new int[0];
        int importedGlobals = 0;
        int definedGlobals = 0;
        Section code = null;
        Section exports = null;
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.count();
            int start = r.pos();
            r.skip(size);
            Section s = new Section(id, start, start + size);
            sections.add(s);
            ByteReader p = new ByteReader(m, s.start(), s.end());
            switch (id) {
                case 0:
                    break;
                case 1:
                    paramCounts = ModuleSections.types(p);
                    break;
                case 2:
                    importedGlobals = ModuleSections.importedGlobals(p);
                    break;
                case 3:
                    funcTypes = ModuleSections.functions(p);
                    break;
                case 4:
                    ModuleSections.tables(p);
                    break;
                case 5:
                    ModuleSections.memories(p);
                    break;
                case 6:
                    definedGlobals = p.count();
                    break;
                case 7:
                    exports = s;
                    break;
                case 10:
                    code = s;
                    break;
                case 13:
                    throw new MeteringException("exception handling (tag section) is not metered");
                default:
                    if (id > 12) {
                        throw new MeteringException("malformed: unknown section " + id);
                    }
                    break;
            }
        }
        long fuelGlobal = (long) importedGlobals + definedGlobals;
        if (fuelGlobal >= Integer.MAX_VALUE) {
            throw new MeteringException("too many globals");
        }
        if (exports != null) {
            // an export of the global index the fuel global takes was invalid and must stay so
            ModuleSections.checkExports(
                    new ByteReader(m, exports.start(), exports.end()), fuelGlobal);
        }
        ByteWriter out = new ByteWriter(m.length + m.length / 2 + 64);
        out.bytes(m, 0, 8);
        boolean globalsWritten = false;
        FunctionMeter meter = new FunctionMeter(costs, (int) fuelGlobal);
        long charges = 0;
        for (Section s : sections) {
            if (!globalsWritten && s.id() != 0 && rank(s.id()) > GLOBAL_RANK) {
                writeSection(out, 6, fuelSection(m, null, 0));
                globalsWritten = true;
            }
            if (s.id() == 6) {
                writeSection(out, 6, fuelSection(m, s, definedGlobals));
                globalsWritten = true;
            } else if (s.id() == 10) {
                charges = meterCode(m, s, paramCounts, funcTypes, meter, out);
            } else {
                out.u8(s.id()).u32(s.end() - s.start()).bytes(m, s.start(), s.end());
            }
        }
        if (!globalsWritten) {
            writeSection(out, 6, fuelSection(m, null, 0));
        }
        if (code == null && funcTypes.length > 0) {
            throw new MeteringException("malformed: function and code section sizes differ");
        }
        return new Metered(
                out.toByteArray(), (int) fuelGlobal, definedGlobals, funcTypes.length, charges);
    }

    private static int rank(int id) {
        switch (id) {
            case 13:
                return 6;
            case 6:
                return 7;
            case 7:
                return 8;
            case 8:
                return 9;
            case 9:
                return 10;
            case 12:
                return 11;
            case 10:
                return 12;
            case 11:
                return 13;
            default:
                return id;
        }
    }

    /** The global section with the fuel global appended: {@code (global (mut i64) i64.const 0)}. */
    private static ByteWriter fuelSection(byte[] m, Section old, int count) {
        ByteWriter w = new ByteWriter(old == null ? 16 : old.end() - old.start() + 16);
        w.u32((long) count + 1);
        if (old != null) {
            ByteReader r = new ByteReader(m, old.start(), old.end());
            r.count();
            w.bytes(m, r.pos(), old.end());
        }
        w.u8(0x7E).u8(0x01).u8(0x42).u8(0x00).u8(0x0B);
        return w;
    }

    private static void writeSection(ByteWriter out, int id, ByteWriter payload) {
        out.u8(id).u32(payload.size()).bytes(payload);
    }

    private static long meterCode(
            byte[] m,
            Section s,
            int[] paramCounts,
            int[] funcTypes,
            FunctionMeter meter,
            ByteWriter out) {
        ByteReader r = new ByteReader(m, s.start(), s.end());
        int n = r.count();
        if (n != funcTypes.length) {
            throw new MeteringException("malformed: function and code section sizes differ");
        }
        ByteWriter payload = new ByteWriter(s.end() - s.start() + (s.end() - s.start()) / 2 + 16);
        payload.u32(n);
        long charges = 0;
        for (int i = 0; i < n; i++) {
            int size = r.count();
            int start = r.pos();
            r.skip(size);
            int type = funcTypes[i];
            if (type < 0 || type >= paramCounts.length) {
                throw new MeteringException("malformed: function " + i + " has unknown type");
            }
            try {
                meter.meter(m, start, start + size, paramCounts[type], payload);
            } catch (MeteringException e) {
                throw new MeteringException(
                        e.getMessage()
                                + " (in defined function "
                                + i
                                + ", body at byte "
                                + start
                                + ")");
            }
            charges += meter.charges;
        }
        if (!r.atEnd()) {
            throw new MeteringException("malformed: bytes after the last function body");
        }
        writeSection(out, 10, payload);
        return charges;
    }
}
