package dev.airlock.core.fuel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The metering pass: rewrites a WebAssembly module so that it counts its own work against a fuel
 * counter and traps when the counter runs out. Pure Java over the binary format; the output must
 * still be validated by the engine, and the input should have been (an invalid module may come out
 * invalid or be refused, never crash the pass).
 *
 * <p>What it does:
 *
 * <ul>
 *   <li>appends one mutable i64 global, the remaining fuel, to the global section (created if
 *       absent), so the indices of existing globals do not move; it starts at 0, and the engine
 *       creates it with the budget instead;
 *   <li>gives every defined function a metered twin, appended after all functions, whose type is
 *       the function's plus an i64 fuel parameter (and, for a function without results, an i64
 *       result: the fuel left; for one with a single i32 or f32 result, an i64 result: that result
 *       packed with the fuel used); the original function keeps its index and type and becomes a
 *       wrapper that calls its twin with the global's fuel, so exports, tables, {@code ref.func}
 *       and the start function behave as before ({@link FunctionMeter} has the details);
 *   <li>in every twin, charges each segment's static cost at its start, and sizes at run time
 *       before {@code memory.copy/fill/init} and {@code table.copy/fill/init} and after a
 *       successful {@code memory.grow} or {@code table.grow}.
 * </ul>
 *
 * No import is added and no existing index moves; sections other than types, functions, globals and
 * code are copied byte for byte.
 */
public final class Metering {
    private static final int GLOBAL_RANK = 7;

    /**
     * Wrappers may add this much to a module, plus four times its size: a bound on what a small
     * module of many functions with many parameters can make the pass build.
     */
    private static final long MAX_WRAPPER_BYTES = 16L << 20;

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

    /** What the sections before the code say. */
    private static final class Shape {
        ModuleSections.FuncType[] types = new ModuleSections.FuncType[0];
        int[] funcTypes = new int[0];
        ModuleSections.Imported imported = new ModuleSections.Imported(0, 0);
        int definedGlobals;
        Section type;
        Section function;
        Section code;
        Set<Integer> declared;

        int functions() {
            return imported.functions() + funcTypes.length;
        }
    }

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
        List<Section> sections = new ArrayList<>();
        Shape shape = read(m, sections);
        long fuelGlobal = (long) shape.imported.globals() + shape.definedGlobals;
        if (fuelGlobal >= Integer.MAX_VALUE) {
            throw new MeteringException("too many globals");
        }
        checkIndices(m, sections, shape, fuelGlobal);
        int n = shape.funcTypes.length;
        if ((long) shape.functions() + n > Integer.MAX_VALUE / 2) {
            throw new MeteringException("too many functions");
        }
        if (n > 0 && (shape.code == null || shape.type == null)) {
            throw new MeteringException("malformed: functions without code or types");
        }
        Twins twins = n == 0 ? null : Twins.of(m, shape.types, shape.funcTypes);
        if (twins != null && twins.wrapperBytes() > MAX_WRAPPER_BYTES + 4L * m.length) {
            throw new MeteringException(
                    "module too large to meter: the wrappers of its "
                            + n
                            + " functions would take "
                            + twins.wrapperBytes()
                            + " bytes");
        }
        ByteWriter out = new ByteWriter(m.length * 2 + 64);
        out.bytes(m, 0, 8);
        boolean globalsWritten = false;
        long charges = 0;
        for (Section s : sections) {
            if (!globalsWritten && s.id() != 0 && rank(s.id()) > GLOBAL_RANK) {
                writeSection(out, 6, fuelSection(m, null, 0));
                globalsWritten = true;
            }
            if (s.id() == 6) {
                writeSection(out, 6, fuelSection(m, s, shape.definedGlobals));
                globalsWritten = true;
            } else if (s.id() == 1 && twins != null) {
                writeSection(out, 1, twins.typeSection(m, s.start(), s.end()));
            } else if (s.id() == 3 && twins != null) {
                writeSection(out, 3, twins.functionSection(m, s.start(), s.end()));
            } else if (s.id() == 10 && twins != null) {
                charges = meterCode(m, s, shape, twins, costs, (int) fuelGlobal, out);
            } else {
                out.u8(s.id()).u32(s.end() - s.start()).bytes(m, s.start(), s.end());
            }
        }
        if (!globalsWritten) {
            writeSection(out, 6, fuelSection(m, null, 0));
        }
        return new Metered(out.toByteArray(), (int) fuelGlobal, shape.definedGlobals, n, charges);
    }

    /**
     * A reference to a function or global that the metered module adds was invalid before and must
     * stay so: exports, the start function, element segments and global initializers are checked
     * here, code by {@link FunctionMeter}.
     */
    private static void checkIndices(
            byte[] m, List<Section> sections, Shape shape, long fuelGlobal) {
        shape.declared = new HashSet<>();
        int functions = shape.functions();
        for (Section s : sections) {
            ByteReader p = new ByteReader(m, s.start(), s.end());
            switch (s.id()) {
                case 6:
                    ModuleSections.checkGlobals(p, functions);
                    break;
                case 7:
                    ModuleSections.checkExports(p, functions, fuelGlobal);
                    break;
                case 8:
                    ModuleSections.checkStart(p, functions);
                    break;
                case 9:
                    ModuleSections.checkElements(p, functions, shape.declared);
                    break;
                default:
                    break;
            }
        }
    }

    private static Shape read(byte[] m, List<Section> sections) {
        Shape shape = new Shape();
        ByteReader r = new ByteReader(m, 8, m.length);
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
                    shape.types = ModuleSections.types(p);
                    shape.type = s;
                    break;
                case 2:
                    shape.imported = ModuleSections.imported(p);
                    break;
                case 3:
                    shape.funcTypes = ModuleSections.functions(p);
                    shape.function = s;
                    break;
                case 4:
                    ModuleSections.tables(p);
                    break;
                case 5:
                    ModuleSections.memories(p);
                    break;
                case 6:
                    shape.definedGlobals = p.count();
                    break;
                case 10:
                    shape.code = s;
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
        for (int t : shape.funcTypes) {
            if (t >= shape.types.length) {
                throw new MeteringException("malformed: unknown type " + t);
            }
        }
        return shape;
    }

    static int rank(int id) {
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

    static void writeSection(ByteWriter out, int id, ByteWriter payload) {
        out.u8(id).u32(payload.size()).bytes(payload);
    }

    /** The code section: the wrappers in place of the bodies, then the metered twins. */
    private static long meterCode(
            byte[] m,
            Section s,
            Shape shape,
            Twins twins,
            CostTable costs,
            int fuelGlobal,
            ByteWriter out) {
        ByteReader r = new ByteReader(m, s.start(), s.end());
        int n = r.count();
        if (n != shape.funcTypes.length) {
            throw new MeteringException("malformed: function and code section sizes differ");
        }
        int imported = shape.imported.functions();
        int total = shape.functions();
        FunctionMeter.Callees callees =
                new FunctionMeter.Callees() {
                    @Override
                    public int twin(int f) {
                        return f < imported ? -1 : total + f - imported;
                    }

                    @Override
                    public int kind(int f) {
                        return twins.kind(shape.funcTypes[f - imported]);
                    }

                    @Override
                    public int count() {
                        return total;
                    }

                    @Override
                    public boolean declared(int f) {
                        return shape.declared.contains(f);
                    }
                };
        FunctionMeter meter = new FunctionMeter(costs, fuelGlobal, callees);
        ByteWriter payload =
                new ByteWriter((int) Math.min(1L << 30, (s.end() - s.start()) * 2L + n * 16L + 16));
        payload.u32(2L * n);
        for (int i = 0; i < n; i++) {
            twins.wrapper(i, total + i, fuelGlobal, payload);
        }
        long charges = 0;
        for (int i = 0; i < n; i++) {
            int size = r.count();
            int start = r.pos();
            r.skip(size);
            ModuleSections.FuncType t = shape.types[shape.funcTypes[i]];
            int kind = twins.kind(shape.funcTypes[i]);
            try {
                meter.meter(
                        m,
                        imported + i,
                        start,
                        start + size,
                        t.params(),
                        twins.blockType(shape.funcTypes[i]),
                        kind,
                        payload);
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
