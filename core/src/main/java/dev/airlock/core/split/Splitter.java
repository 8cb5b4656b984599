package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits huge functions: a WebAssembly-to-WebAssembly pass that outlines regions of every function
 * whose body is larger than a threshold into new functions, until each is at most that size (or
 * nothing more can be outlined), so that the JVM compiles every function fully instead of leaving
 * the hottest code in its interpreter.
 *
 * <p>A region is a {@code block}, {@code loop} or {@code if} with everything up to its {@code end},
 * or a run of instructions of one block body that starts and ends with that body's operand stack
 * empty. It becomes a function taking the block's parameters (and the condition of an {@code if})
 * and every local it touches, and returning the block's results and every local it writes; the call
 * is followed by {@code local.set}s. Branches out of the region (to labels without values) and
 * {@code return}s are carried out by an exit code the new function returns and the caller
 * dispatches on (one {@code br_if} or {@code br_table}). A function still too big once nothing more
 * can be outlined is usually an interpreter's dispatch loop, a {@code br_table} switch over a chain
 * of case blocks: on request ({@link #split(byte[], int, int, boolean)}), {@link Regroup} turns it
 * into a two-level switch whose groups of cases the pass then outlines as pieces, small cases
 * staying in the function. Only indices are appended: no existing function, type or local moves,
 * and sections other than types, functions and code are copied byte for byte.
 *
 * <p>The pass never throws on odd input: a module it cannot read, or one using what it does not
 * handle (types other than plain function types), is returned unchanged, as are single functions it
 * cannot decode. The output must be validated like any module.
 */
public final class Splitter {
    private Splitter() {}

    /** Threshold used when none is configured: function bodies above it are split. */
    public static final int DEFAULT_THRESHOLD = 1500;

    /** Piece size when none is configured. */
    public static final int DEFAULT_REGION = 1500;

    /**
     * The weight of a memory access beyond its bytes when none is configured ({@link #split(byte[],
     * int, int, boolean, boolean, int)}).
     */
    public static final int DEFAULT_ACCESS_WEIGHT = 10;

    /** Function types, defined functions and their bodies, as the pass edits them. */
    static final class Model {
        final List<byte[]> params = new ArrayList<>();
        final List<byte[]> results = new ArrayList<>();

        /** Type of every function, imported first. */
        final List<Integer> funcTypes = new ArrayList<>();

        int imported;
        int importedGlobals;
        int definedGlobals;
        int originalTypes;

        /** The module's {@link DispatchProfile}, else the one the system property names. */
        DispatchProfile profile = DispatchProfile.fallback();

        int addType(byte[] p, byte[] r) {
            for (int i = originalTypes; i < params.size(); i++) {
                if (Arrays.equals(params.get(i), p) && Arrays.equals(results.get(i), r)) {
                    return i;
                }
            }
            params.add(p);
            results.add(r);
            return params.size() - 1;
        }
    }

    /** A section of the module read: its id and where its content starts and ends. */
    record Section(int id, int start, int end) {}

    /**
     * Splits every function of {@code module} whose body is longer than {@code threshold} bytes.
     *
     * @return the split module, or {@code module} itself when nothing was split
     */
    public static byte[] split(byte[] module, int threshold) {
        return split(module, threshold, threshold);
    }

    /**
     * Splits every function of {@code module} whose body is longer than {@code threshold} bytes
     * into pieces of at most {@code regionLimit} bytes (where it can).
     *
     * @return the split module, or {@code module} itself when nothing was split
     */
    public static byte[] split(byte[] module, int threshold, int regionLimit) {
        return split(module, threshold, regionLimit, false);
    }

    /**
     * Splits as {@link #split(byte[], int, int)} does, and with {@code regroup} also turns a switch
     * still too big into groups of cases outlined as pieces ({@link Regroup}). It makes the
     * switch's function smaller (QuickJS's dispatch loop 15.8 KB of JVM bytecode instead of 19,
     * with the small cases kept in it), but adds a call per dispatch of a grouped case. Measured on
     * interpreters' dispatch loops, it makes the first runs of new programs faster and warm ones
     * slower (a mix of Python and JavaScript programs: 0.96 of the time in all, return visits up to
     * 1.3x); on smaller switches slower (pulldown-cmark 1.4x). Off in Airlock's loader unless asked
     * for; a module that carries a {@link DispatchProfile} has its profiled switches regrouped
     * either way.
     *
     * @return the split module, or {@code module} itself when nothing was split
     */
    public static byte[] split(byte[] module, int threshold, int regionLimit, boolean regroup) {
        return split(module, threshold, regionLimit, regroup, false);
    }

    /**
     * Splits as {@link #split(byte[], int, int, boolean)} does, and with {@code expressions} also
     * outlines runs that leave one value on the operand stack (an expression tree), not only runs
     * between points where the stack is empty. Code whose stack is seldom empty (LLVM keeps an
     * address on it across a long expression) has few other places to cut. Off by default: it
     * splits keccak's 20 KB function into pieces the JIT compiles, but measured from 0.4x to 5x the
     * time of the default split on Sightglass's programs (bench/README).
     *
     * @return the split module, or {@code module} itself when nothing was split
     */
    public static byte[] split(
            byte[] module, int threshold, int regionLimit, boolean regroup, boolean expressions) {
        return split(module, threshold, regionLimit, regroup, expressions, 0);
    }

    /**
     * Splits as {@link #split(byte[], int, int, boolean, boolean)} does, with the threshold and the
     * piece size measured in weights instead of bytes: a function's code bytes plus {@code
     * accessWeight} more for each memory load or store ({@code 0}: bytes alone, as the other
     * overloads). Splitting by weight cuts functions heavy in memory accesses into pieces HotSpot
     * inlines their accesses into (see {@link #DEFAULT_ACCESS_WEIGHT}).
     *
     * @return the split module, or {@code module} itself when nothing was split
     * @throws IllegalArgumentException if {@code accessWeight} is negative
     */
    public static byte[] split(
            byte[] module,
            int threshold,
            int regionLimit,
            boolean regroup,
            boolean expressions,
            int accessWeight) {
        if (accessWeight < 0) {
            throw new IllegalArgumentException("accessWeight must be >= 0: " + accessWeight);
        }
        long budget = (long) Outliner.WORK_PER_BYTE * module.length + Outliner.WORK_BASE;
        return split(
                module,
                new Options(
                        threshold,
                        Math.min(threshold, regionLimit),
                        regroup,
                        expressions,
                        budget,
                        null,
                        accessWeight));
    }

    /**
     * How the pass splits: as the public overloads say, scanning at most {@code budget} bytes of
     * code over all functions and steps (the functions not split within it stay whole), and with
     * {@code check} (tests only; null otherwise) shown every liveness analysis the outliner carried
     * over from one step to the next.
     */
    record Options(
            int threshold,
            int regionLimit,
            boolean regroup,
            boolean expressions,
            long budget,
            Outliner.Check check,
            int accessWeight) {
        Options(
                int threshold,
                int regionLimit,
                boolean regroup,
                boolean expressions,
                long budget,
                Outliner.Check check) {
            this(threshold, regionLimit, regroup, expressions, budget, check, 0);
        }
    }

    /** Splits {@code module} as {@code options} say; {@code module} itself when nothing changed. */
    static byte[] split(byte[] module, Options options) {
        try {
            return rewrite(module, options);
        } catch (RuntimeException | StackOverflowError e) {
            return module;
        }
    }

    /**
     * How regrouping's measurement settings differ from their defaults, as cache keys name them
     * (the system properties {@code airlock.split.keptCase}, {@code airlock.split.keepFactor},
     * {@code airlock.split.keep}, {@code airlock.split.profiledCase} and {@code
     * airlock.split.profile}): empty when they do not.
     */
    public static String regroupSettings() {
        return KeptCases.describe();
    }

    /**
     * How many cases a switch has at least to make its module an interpreter: {@link
     * #hasDispatchLoop}.
     */
    public static final int DISPATCH_CASES = 128;

    /**
     * Whether a function of {@code module} longer than {@code threshold} bytes holds a switch of at
     * least {@link #DISPATCH_CASES} cases laid out as a chain of blocks: an interpreter's dispatch
     * loop (CPython's and QuickJS's have over 250; Sightglass's parsers and formatters at most 51).
     * Regrouping ({@link #split(byte[], int, int, boolean)}) is meant for such modules; the loader
     * does so only when asked ({@code airlock.split.regroup=dispatch}). False when {@code module}
     * cannot be read.
     */
    public static boolean hasDispatchLoop(byte[] module, int threshold) {
        try {
            ByteReader r = new ByteReader(module, 8, module.length);
            while (!r.atEnd()) {
                int id = r.u8();
                int size = r.count();
                if (id != 10) {
                    r.skip(size);
                    continue;
                }
                ByteReader c = new ByteReader(module, r.pos(), r.pos() + size);
                for (int n = c.count(), i = 0; i < n; i++) {
                    int length = c.count();
                    int start = c.pos();
                    c.skip(length);
                    if (length > threshold) {
                        SwitchChain chain =
                                SwitchChain.find(new Body(module, start, start + length).code());
                        if (chain != null && chain.n() >= DISPATCH_CASES) {
                            return true;
                        }
                    }
                }
                return false;
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * How many functions a module defines (the length of its function section), or -1 if it cannot
     * be read.
     */
    public static int definedFunctions(byte[] module) {
        try {
            ByteReader r = new ByteReader(module, 8, module.length);
            while (!r.atEnd()) {
                int id = r.u8();
                int size = r.count();
                if (id == 3) {
                    return r.count();
                }
                r.skip(size);
            }
            return 0;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static byte[] rewrite(byte[] m, Options options) {
        int threshold = options.threshold();
        if (m.length < 8 || m[0] != 0 || m[1] != 'a' || m[4] != 1) {
            return m;
        }
        List<Section> sections = new ArrayList<>();
        ByteReader r = new ByteReader(m, 8, m.length);
        Model model = new Model();
        int[] defined = new int[0];
        Section code = null;
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.count();
            int start = r.pos();
            r.skip(size);
            Section s = new Section(id, start, start + size);
            sections.add(s);
            ByteReader p = new ByteReader(m, s.start(), s.end());
            if (id == 0) {
                model.profile = DispatchProfile.fromSection(m, p, s.end(), model.profile);
            } else if (id == 1) {
                readTypes(p, model);
            } else if (id == 2) {
                readImports(p, model);
            } else if (id == 3) {
                int n = p.count();
                defined = new int[n];
                for (int i = 0; i < n; i++) {
                    defined[i] = p.count();
                }
            } else if (id == 6) {
                model.definedGlobals = p.count();
            } else if (id == 10) {
                code = s;
            } else if (id == 13) {
                return m; // exception handling: not split
            }
        }
        if (code == null || defined.length == 0) {
            return m;
        }
        for (int t : defined) {
            if (t >= model.params.size()) {
                return m;
            }
            model.funcTypes.add(t);
        }
        List<Body> bodies = new ArrayList<>();
        ByteReader c = new ByteReader(m, code.start(), code.end());
        int n = c.count();
        if (n != defined.length) {
            return m;
        }
        boolean any = false;
        for (int i = 0; i < n; i++) {
            int size = c.count();
            int start = c.pos();
            c.skip(size);
            Body b = new Body(m, start, start + size);
            bodies.add(b);
            any |= size > threshold || options.accessWeight() > 0;
        }
        if (!any) {
            return m;
        }
        Spills spills = new Spills(model.importedGlobals + model.definedGlobals);
        Outliner outliner = new Outliner(model, bodies, spills, options);
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            changed |= outliner.splitFunction(i);
        }
        if (!changed) {
            return m;
        }
        return ModuleWriter.write(m, sections, model, bodies, spills);
    }

    private static void readTypes(ByteReader p, Model model) {
        int n = p.count();
        for (int i = 0; i < n; i++) {
            if (p.u8() != 0x60) {
                throw new IllegalArgumentException("not a function type");
            }
            model.params.add(valTypes(p));
            model.results.add(valTypes(p));
        }
        model.originalTypes = n;
    }

    private static byte[] valTypes(ByteReader p) {
        int n = p.count();
        byte[] v = new byte[n];
        for (int j = 0; j < n; j++) {
            int b = p.u8();
            if (!Body.isValType(b)) {
                throw new IllegalArgumentException("unsupported value type");
            }
            v[j] = (byte) b;
        }
        return v;
    }

    private static void readImports(ByteReader p, Model model) {
        int n = p.count();
        for (int i = 0; i < n; i++) {
            p.skip(p.count());
            p.skip(p.count());
            int kind = p.u8();
            switch (kind) {
                case 0:
                    model.funcTypes.add(p.count());
                    model.imported++;
                    break;
                case 1:
                    p.u8();
                    limits(p);
                    break;
                case 2:
                    limits(p);
                    break;
                case 3:
                    p.u8();
                    p.u8();
                    model.importedGlobals++;
                    break;
                default:
                    throw new IllegalArgumentException("unsupported import kind");
            }
        }
    }

    private static void limits(ByteReader p) {
        int flags = p.u8();
        if (flags > 3) {
            throw new IllegalArgumentException("unsupported limits");
        }
        p.u32();
        if ((flags & 1) != 0) {
            p.u32();
        }
    }
}
