package dev.airlock.components.abi;

import dev.airlock.components.types.WitType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical ABI's size, alignment and flattening of value types. Types are registered as they
 * are resolved (children first), so every figure is computed once from its children's and nothing
 * recurses deeper than {@link #MAX_DEPTH}; counts saturate instead of overflowing. Read-only after
 * linking.
 */
public final class Layout {
    /** The deepest type nesting accepted. */
    public static final int MAX_DEPTH = 100;

    /** Flat values passed as parameters before they go through memory. */
    public static final int MAX_FLAT_PARAMS = 16;

    /** Flat values returned before they go through memory. */
    public static final int MAX_FLAT_RESULTS = 1;

    /** The largest value size in memory accepted (bytes). */
    public static final long MAX_SIZE = 1L << 31;

    private static final int SATURATED = 1 << 20;

    /** Figures of one type. */
    record Info(long size, int align, int flat, int depth, boolean memory) {}

    private final Map<WitType, Info> infos = new IdentityHashMap<>();

    /**
     * Registers a type whose children are registered.
     *
     * @return null, or the reason the type is refused (too deep or too large)
     */
    public String register(WitType t) {
        Info i = compute(t);
        if (i.depth > MAX_DEPTH) {
            return "type nested deeper than " + MAX_DEPTH;
        }
        if (i.size > MAX_SIZE) {
            return "type larger than 2 GiB in memory";
        }
        infos.put(t, i);
        return null;
    }

    private Info info(WitType t) {
        if (t instanceof WitType.Prim p) {
            return prim(p);
        }
        if (t instanceof WitType.Own || t instanceof WitType.Borrow) {
            return new Info(4, 4, 1, 1, false);
        }
        Info i = infos.get(t);
        if (i == null) {
            i = compute(t);
            infos.put(t, i);
        }
        return i;
    }

    private static Info prim(WitType.Prim p) {
        return switch (p) {
            case BOOL, S8, U8 -> new Info(1, 1, 1, 1, false);
            case S16, U16 -> new Info(2, 2, 1, 1, false);
            case S32, U32, F32, CHAR -> new Info(4, 4, 1, 1, false);
            case S64, U64, F64 -> new Info(8, 8, 1, 1, false);
            case STRING -> new Info(8, 4, 2, 1, true);
        };
    }

    private Info compute(WitType t) {
        if (t instanceof WitType.Prim p) {
            return prim(p);
        }
        if (t instanceof WitType.Own || t instanceof WitType.Borrow) {
            return new Info(4, 4, 1, 1, false);
        }
        if (t instanceof WitType.ListOf l) {
            return new Info(8, 4, 2, info(l.element()).depth + 1, true);
        }
        if (t instanceof WitType.Record r) {
            List<WitType> ts = new ArrayList<>();
            r.fields().forEach(f -> ts.add(f.type()));
            return struct(ts);
        }
        if (t instanceof WitType.Tuple tu) {
            return struct(tu.types());
        }
        if (t instanceof WitType.Flags f) {
            int n = f.names().size();
            int size = n <= 8 ? 1 : n <= 16 ? 2 : 4;
            return new Info(size, size, 1, 1, false);
        }
        if (t instanceof WitType.Enum e) {
            int d = discriminantSize(e.names().size());
            return new Info(d, d, 1, 1, false);
        }
        return variant(cases(t));
    }

    private Info struct(List<WitType> types) {
        long size = 0;
        int align = 1;
        int flat = 0;
        int depth = 0;
        boolean memory = false;
        for (WitType ft : types) {
            Info i = info(ft);
            memory |= i.memory;
            size = alignTo(size, i.align) + i.size;
            align = Math.max(align, i.align);
            flat = Math.min(SATURATED, flat + i.flat);
            depth = Math.max(depth, i.depth);
            size = Math.min(size, MAX_SIZE + 1);
        }
        return new Info(alignTo(size, align), align, flat, depth + 1, memory);
    }

    private Info variant(List<WitType> cases) {
        int d = discriminantSize(cases.size());
        int caseAlign = 1;
        long caseSize = 0;
        int flat = 0;
        int depth = 0;
        boolean memory = false;
        for (WitType c : cases) {
            if (c == null) {
                continue;
            }
            Info i = info(c);
            memory |= i.memory;
            caseAlign = Math.max(caseAlign, i.align);
            caseSize = Math.max(caseSize, i.size);
            flat = Math.max(flat, i.flat);
            depth = Math.max(depth, i.depth);
        }
        int align = Math.max(d, caseAlign);
        long size = alignTo(alignTo(d, caseAlign) + caseSize, align);
        return new Info(
                Math.min(size, MAX_SIZE + 1),
                align,
                Math.min(SATURATED, flat + 1),
                depth + 1,
                memory);
    }

    /** The cases of an option, result or variant, as payload types (null: none). */
    static List<WitType> cases(WitType t) {
        List<WitType> out = new ArrayList<>();
        if (t instanceof WitType.Option o) {
            out.add(null);
            out.add(o.type());
        } else if (t instanceof WitType.Result r) {
            out.add(r.ok());
            out.add(r.error());
        } else if (t instanceof WitType.Variant v) {
            v.cases().forEach(c -> out.add(c.type()));
        } else {
            throw new IllegalArgumentException("not a variant: " + t);
        }
        return out;
    }

    static int discriminantSize(int cases) {
        return cases <= 256 ? 1 : cases <= 65536 ? 2 : 4;
    }

    static long alignTo(long n, int align) {
        return (n + align - 1) / align * align;
    }

    public long size(WitType t) {
        return info(t).size;
    }

    public int align(WitType t) {
        return info(t).align;
    }

    /** Whether values of the type point into memory (strings and lists). */
    public boolean usesMemory(WitType t) {
        return info(t).memory;
    }

    /** The number of flat values (saturating at about a million). */
    public int flatCount(WitType t) {
        return info(t).flat;
    }

    /** Core value types: {@code i32}, {@code i64}, {@code f32}, {@code f64}. */
    public List<String> flatten(WitType t) {
        List<String> out = new ArrayList<>();
        flatten(t, out);
        return out;
    }

    private void flatten(WitType t, List<String> out) {
        if (t instanceof WitType.Prim p) {
            switch (p) {
                case S64, U64 -> out.add("i64");
                case F32 -> out.add("f32");
                case F64 -> out.add("f64");
                case STRING -> {
                    out.add("i32");
                    out.add("i32");
                }
                default -> out.add("i32");
            }
        } else if (t instanceof WitType.ListOf) {
            out.add("i32");
            out.add("i32");
        } else if (t instanceof WitType.Record r) {
            r.fields().forEach(f -> flatten(f.type(), out));
        } else if (t instanceof WitType.Tuple tu) {
            tu.types().forEach(x -> flatten(x, out));
        } else if (t instanceof WitType.Flags
                || t instanceof WitType.Enum
                || t instanceof WitType.Own
                || t instanceof WitType.Borrow) {
            out.add("i32");
        } else {
            out.add("i32");
            List<String> joined = new ArrayList<>();
            for (WitType c : cases(t)) {
                if (c == null) {
                    continue;
                }
                List<String> cf = flatten(c);
                for (int i = 0; i < cf.size(); i++) {
                    if (i < joined.size()) {
                        joined.set(i, join(joined.get(i), cf.get(i)));
                    } else {
                        joined.add(cf.get(i));
                    }
                }
            }
            out.addAll(joined);
        }
    }

    static String join(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if ((a.equals("i32") && b.equals("f32")) || (a.equals("f32") && b.equals("i32"))) {
            return "i32";
        }
        return "i64";
    }

    /** The flat parameter types of a lifted function's core function. */
    public List<String> coreParams(WitType.Func f) {
        int n = 0;
        for (WitType.Field p : f.params()) {
            n = Math.min(SATURATED, n + flatCount(p.type()));
        }
        if (n > MAX_FLAT_PARAMS) {
            return List.of("i32");
        }
        List<String> out = new ArrayList<>();
        f.params().forEach(p -> flatten(p.type(), out));
        return out;
    }

    /** The flat result types of a lifted function's core function. */
    public List<String> coreResults(WitType.Func f) {
        if (f.result() == null) {
            return List.of();
        }
        if (flatCount(f.result()) > MAX_FLAT_RESULTS) {
            return List.of("i32");
        }
        return flatten(f.result());
    }

    /** Whether the function's parameters travel through memory. */
    public boolean paramsInMemory(WitType.Func f) {
        return coreParams(f).size() == 1 && paramFlat(f) > MAX_FLAT_PARAMS;
    }

    private int paramFlat(WitType.Func f) {
        int n = 0;
        for (WitType.Field p : f.params()) {
            n = Math.min(SATURATED, n + flatCount(p.type()));
        }
        return n;
    }

    /** The parameters as one tuple type (for their layout in memory), registered. */
    public WitType.Tuple paramTuple(WitType.Func f) {
        List<WitType> ts = new ArrayList<>();
        f.params().forEach(p -> ts.add(p.type()));
        WitType.Tuple t = new WitType.Tuple(List.copyOf(ts));
        if (!ts.isEmpty()) {
            infos.put(t, compute(t));
        }
        return t;
    }
}
