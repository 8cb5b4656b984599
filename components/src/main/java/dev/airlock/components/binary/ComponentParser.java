package dev.airlock.components.binary;

import dev.airlock.components.binary.Ast.Def;
import dev.airlock.components.binary.Ast.Sort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the component binary format into an {@link Ast.Component}. Every malformed input (cut
 * short, bad LEB128, unknown codes, counts larger than the bytes left, nesting deeper than {@value
 * #MAX_DEPTH}) throws {@link ParseException} with one line; features Airlock does not run (values,
 * start functions, async and thread built-ins, GC core types) throw it with {@code unsupported}.
 */
public final class ComponentParser {
    /** The deepest nesting of components and instance or component types accepted. */
    public static final int MAX_DEPTH = 64;

    /** A component that could not be parsed. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unsupported;

        ParseException(String message, boolean unsupported) {
            super(message, null, false, false);
            this.unsupported = unsupported;
        }

        /** Whether the input is well-formed but uses a feature Airlock does not support. */
        public boolean unsupported() {
            return unsupported;
        }
    }

    /** Thrown inside the parser for an unsupported feature. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private static final byte[] PREAMBLE = {0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};

    private ComponentParser() {}

    /** Whether {@code bytes} start with the component preamble (layer 1). */
    public static boolean isComponent(byte[] bytes) {
        return bytes.length >= 8 && Arrays.equals(bytes, 0, 8, PREAMBLE, 0, 8);
    }

    /** Whether {@code bytes} start like a WebAssembly binary whose layer field says component. */
    public static boolean hasComponentLayer(byte[] bytes) {
        return bytes.length >= 8
                && Arrays.equals(bytes, 0, 4, PREAMBLE, 0, 4)
                && bytes[6] == 0x01
                && bytes[7] == 0x00;
    }

    /**
     * @throws ParseException if the bytes are malformed or use an unsupported feature
     */
    public static Ast.Component parse(byte[] bytes) throws ParseException {
        try {
            Reader r = new Reader(bytes, 0, bytes.length);
            Ast.Component c = component(r, 0);
            if (!r.atEnd()) {
                throw r.error("trailing bytes");
            }
            return c;
        } catch (Reader.Malformed e) {
            throw new ParseException("malformed component: " + e.getMessage(), false);
        } catch (Unsupported e) {
            throw new ParseException("unsupported: " + e.getMessage(), true);
        } catch (StackOverflowError e) {
            throw new ParseException("malformed component: nested too deeply", false);
        }
    }

    private static Ast.Component component(Reader r, int depth) {
        if (depth > MAX_DEPTH) {
            throw r.error("components nested deeper than " + MAX_DEPTH);
        }
        for (int i = 0; i < 8; i++) {
            int b = r.u8();
            if (b != (PREAMBLE[i] & 0xFF)) {
                throw r.error(i < 4 ? "bad magic" : "not a component (bad version or layer)");
            }
        }
        List<Def> defs = new ArrayList<>();
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.index();
            Reader s = r.slice(size);
            section(id, s, defs, depth);
            if (!s.atEnd()) {
                throw s.error("section " + id + " has trailing bytes");
            }
        }
        return new Ast.Component(List.copyOf(defs));
    }

    private static void section(int id, Reader s, List<Def> defs, int depth) {
        switch (id) {
            case 0 -> {
                s.name();
                s.skip(s.end() - s.pos());
            }
            case 1 -> {
                int start = s.pos();
                s.skip(s.end() - start);
                defs.add(new Ast.CoreModule(Arrays.copyOfRange(s.bytes(), start, s.end())));
            }
            case 2 -> {
                int n = s.count(2);
                for (int i = 0; i < n; i++) {
                    defs.add(coreInstance(s));
                }
            }
            case 3 -> {
                int n = s.count(1);
                for (int i = 0; i < n; i++) {
                    CoreTypes.skipCoreType(s);
                    defs.add(new Ast.CoreTypeDef());
                }
            }
            case 4 -> {
                defs.add(new Ast.Nested(component(s.slice(s.end() - s.pos()), depth + 1)));
            }
            case 5 -> {
                int n = s.count(2);
                for (int i = 0; i < n; i++) {
                    defs.add(instance(s));
                }
            }
            case 6 -> {
                int n = s.count(3);
                for (int i = 0; i < n; i++) {
                    defs.add(alias(s));
                }
            }
            case 7 -> {
                int n = s.count(1);
                for (int i = 0; i < n; i++) {
                    defs.add(new Ast.TypeDef(Types.defType(s, depth)));
                }
            }
            case 8 -> {
                int n = s.count(2);
                for (int i = 0; i < n; i++) {
                    defs.add(canon(s));
                }
            }
            case 9 -> throw new Unsupported("component start functions");
            case 10 -> {
                int n = s.count(3);
                for (int i = 0; i < n; i++) {
                    defs.add(new Ast.Import(externName(s), Types.extern(s)));
                }
            }
            case 11 -> {
                int n = s.count(4);
                for (int i = 0; i < n; i++) {
                    String name = externName(s);
                    Ast.SortIdx si = sortIdx(s, name);
                    Ast.Extern ascribed = null;
                    int has = s.u8();
                    if (has == 1) {
                        ascribed = Types.extern(s);
                    } else if (has != 0) {
                        throw s.error("bad export type flag");
                    }
                    defs.add(new Ast.Export(name, si.sort(), si.index(), ascribed));
                }
            }
            case 12 -> throw new Unsupported("component values");
            default -> throw s.error("unknown section id " + id);
        }
    }

    private static Def coreInstance(Reader s) {
        int tag = s.u8();
        if (tag == 0x00) {
            int module = s.index();
            int n = s.count(3);
            List<Ast.Named> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = s.name();
                if (s.u8() != 0x12) {
                    throw s.error("core instantiation argument must be an instance");
                }
                args.add(new Ast.Named(name, s.index()));
            }
            return new Ast.CoreInstantiate(module, List.copyOf(args));
        }
        if (tag == 0x01) {
            int n = s.count(3);
            List<Ast.SortIdx> exports = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = s.name();
                exports.add(new Ast.SortIdx(name, coreSort(s), s.index()));
            }
            return new Ast.CoreInline(List.copyOf(exports));
        }
        throw s.error("bad core instance");
    }

    private static Def instance(Reader s) {
        int tag = s.u8();
        if (tag == 0x00) {
            int comp = s.index();
            int n = s.count(3);
            List<Ast.SortIdx> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(sortIdx(s, s.componentName()));
            }
            return new Ast.Instantiate(comp, List.copyOf(args));
        }
        if (tag == 0x01) {
            int n = s.count(3);
            List<Ast.SortIdx> exports = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                exports.add(sortIdx(s, externName(s)));
            }
            return new Ast.Inline(List.copyOf(exports));
        }
        throw s.error("bad instance");
    }

    static Ast.Alias alias(Reader s) {
        Sort sort = sort(s);
        int target = s.u8();
        switch (target) {
            case 0x00:
                return new Ast.Alias(sort, false, s.index(), s.componentName(), 0, 0);
            case 0x01:
                return new Ast.Alias(sort, true, s.index(), s.name(), 0, 0);
            case 0x02:
                if (sort != Sort.TYPE
                        && sort != Sort.CORE_TYPE
                        && sort != Sort.CORE_MODULE
                        && sort != Sort.COMPONENT) {
                    throw s.error("outer alias of a " + sort.text());
                }
                return new Ast.Alias(sort, false, 0, null, s.index(), s.index());
            default:
                throw s.error("bad alias target");
        }
    }

    private static Def canon(Reader s) {
        int op = s.u8();
        switch (op) {
            case 0x00 -> {
                if (s.u8() != 0x00) {
                    throw s.error("bad canon lift");
                }
                int f = s.index();
                List<Ast.CanonOpt> opts = opts(s);
                return new Ast.Canon(Ast.CanonKind.LIFT, f, opts, s.index());
            }
            case 0x01 -> {
                if (s.u8() != 0x00) {
                    throw s.error("bad canon lower");
                }
                int f = s.index();
                return new Ast.Canon(Ast.CanonKind.LOWER, f, opts(s), -1);
            }
            case 0x02 -> {
                return new Ast.Canon(Ast.CanonKind.RESOURCE_NEW, -1, List.of(), s.index());
            }
            case 0x03 -> {
                return new Ast.Canon(Ast.CanonKind.RESOURCE_DROP, -1, List.of(), s.index());
            }
            case 0x04 -> {
                return new Ast.Canon(Ast.CanonKind.RESOURCE_REP, -1, List.of(), s.index());
            }
            default ->
                    throw new Unsupported(
                            "canonical built-in 0x"
                                    + Integer.toHexString(op)
                                    + " (async, streams, futures, threads or error contexts)");
        }
    }

    private static List<Ast.CanonOpt> opts(Reader s) {
        int n = s.count(1);
        List<Ast.CanonOpt> opts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = s.u8();
            switch (k) {
                case 0x00 -> opts.add(new Ast.CanonOpt(Ast.CanonOptKind.UTF8, -1));
                case 0x01 -> opts.add(new Ast.CanonOpt(Ast.CanonOptKind.UTF16, -1));
                case 0x02 -> opts.add(new Ast.CanonOpt(Ast.CanonOptKind.LATIN1_UTF16, -1));
                case 0x03 -> opts.add(new Ast.CanonOpt(Ast.CanonOptKind.MEMORY, s.index()));
                case 0x04 -> opts.add(new Ast.CanonOpt(Ast.CanonOptKind.REALLOC, s.index()));
                case 0x05 -> opts.add(new Ast.CanonOpt(Ast.CanonOptKind.POST_RETURN, s.index()));
                case 0x06, 0x07 -> throw new Unsupported("async canonical options");
                default -> throw s.error("bad canonical option 0x" + Integer.toHexString(k));
            }
        }
        return List.copyOf(opts);
    }

    /** An import or export name with its attributes (which are read and dropped). */
    static String externName(Reader s) {
        int tag = s.u8();
        if (tag > 0x02) {
            throw s.error("bad extern name");
        }
        String name = s.componentName();
        if (tag == 0x02) {
            int n = s.count(2);
            for (int i = 0; i < n; i++) {
                int a = s.u8();
                if (a > 0x02) {
                    throw s.error("bad name attribute");
                }
                s.name();
            }
        }
        return name;
    }

    static Ast.SortIdx sortIdx(Reader s, String name) {
        Sort sort = sort(s);
        return new Ast.SortIdx(name, sort, s.index());
    }

    static Sort sort(Reader s) {
        int b = s.u8();
        switch (b) {
            case 0x00:
                return coreSort(s);
            case 0x01:
                return Sort.FUNC;
            case 0x02:
                throw new Unsupported("component values");
            case 0x03:
                return Sort.TYPE;
            case 0x04:
                return Sort.COMPONENT;
            case 0x05:
                return Sort.INSTANCE;
            default:
                throw s.error("bad sort 0x" + Integer.toHexString(b));
        }
    }

    static Sort coreSort(Reader s) {
        int b = s.u8();
        return switch (b) {
            case 0x00 -> Sort.CORE_FUNC;
            case 0x01 -> Sort.CORE_TABLE;
            case 0x02 -> Sort.CORE_MEMORY;
            case 0x03 -> Sort.CORE_GLOBAL;
            case 0x04 -> Sort.CORE_TAG;
            case 0x10 -> Sort.CORE_TYPE;
            case 0x11 -> Sort.CORE_MODULE;
            case 0x12 -> Sort.CORE_INSTANCE;
            default -> throw s.error("bad core sort 0x" + Integer.toHexString(b));
        };
    }
}
