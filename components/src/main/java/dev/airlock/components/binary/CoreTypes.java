package dev.airlock.components.binary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Core WebAssembly types as far as components need them: skipping core type definitions, and
 * reading a core module's imports and exported function signatures (numbers only).
 */
public final class CoreTypes {
    private CoreTypes() {}

    /** A core function signature: value types as {@code i32}, {@code i64}, {@code f32}, ... */
    public record Signature(List<String> params, List<String> results) {
        @Override
        public String toString() {
            return "(" + String.join(" ", params) + ") -> (" + String.join(" ", results) + ")";
        }
    }

    /** An import of a core module; {@code signature} only for functions. */
    public record Import(String module, String name, String kind, Signature signature) {}

    /**
     * What a core module imports and exports. {@code exports} maps each export name to its kind
     * ({@code func}, {@code memory}, {@code table}, {@code global}, {@code tag}); {@code functions}
     * maps exported function names to their signatures.
     */
    public record ModuleShape(
            List<Import> imports, Map<String, String> exports, Map<String, Signature> functions) {}

    /**
     * Reads the shape of a core module.
     *
     * @throws ComponentParser.ParseException if the module's headers are malformed or use GC types
     */
    public static ModuleShape shape(byte[] module) throws ComponentParser.ParseException {
        try {
            return readShape(module);
        } catch (Reader.Malformed e) {
            throw new ComponentParser.ParseException(
                    "malformed core module: " + e.getMessage(), false);
        } catch (ComponentParser.Unsupported e) {
            throw new ComponentParser.ParseException("unsupported: " + e.getMessage(), true);
        }
    }

    private static ModuleShape readShape(byte[] bytes) {
        Reader r = new Reader(bytes, 0, bytes.length);
        int[] head = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
        for (int h : head) {
            if (r.u8() != h) {
                throw r.error("not a core module");
            }
        }
        List<Signature> types = new ArrayList<>();
        List<Import> imports = new ArrayList<>();
        List<Signature> funcs = new ArrayList<>();
        Map<String, String> exports = new LinkedHashMap<>();
        Map<String, Signature> functions = new LinkedHashMap<>();
        int memories = 0;
        while (!r.atEnd()) {
            int id = r.u8();
            Reader s = r.slice(r.index());
            switch (id) {
                case 1 -> {
                    int n = s.count(1);
                    for (int i = 0; i < n; i++) {
                        types.add(funcType(s));
                    }
                }
                case 2 -> {
                    int n = s.count(4);
                    for (int i = 0; i < n; i++) {
                        String module = s.name();
                        String name = s.name();
                        int kind = s.u8();
                        Signature sig = null;
                        String k;
                        switch (kind) {
                            case 0x00 -> {
                                sig = type(types, s.index(), s);
                                funcs.add(sig);
                                k = "func";
                            }
                            case 0x01 -> {
                                valType(s);
                                limits(s);
                                k = "table";
                            }
                            case 0x02 -> {
                                limits(s);
                                k = "memory";
                                memories++;
                            }
                            case 0x03 -> {
                                valType(s);
                                s.u8();
                                k = "global";
                            }
                            case 0x04 -> {
                                s.u8();
                                s.index();
                                k = "tag";
                            }
                            default -> throw s.error("bad import kind");
                        }
                        imports.add(new Import(module, name, k, sig));
                    }
                }
                case 3 -> {
                    int n = s.count(1);
                    for (int i = 0; i < n; i++) {
                        funcs.add(type(types, s.index(), s));
                    }
                }
                case 5 -> {
                    memories += s.count(1);
                    s.skip(s.end() - s.pos());
                }
                case 7 -> {
                    int n = s.count(3);
                    for (int i = 0; i < n; i++) {
                        String name = s.name();
                        int kind = s.u8();
                        int idx = s.index();
                        String k =
                                switch (kind) {
                                    case 0 -> "func";
                                    case 1 -> "table";
                                    case 2 -> "memory";
                                    case 3 -> "global";
                                    case 4 -> "tag";
                                    default -> throw s.error("bad export kind");
                                };
                        exports.put(name, k);
                        if (kind == 0) {
                            if (idx >= funcs.size()) {
                                throw s.error("exported function " + idx + " out of range");
                            }
                            functions.put(name, funcs.get(idx));
                        }
                    }
                }
                default -> s.skip(s.end() - s.pos());
            }
            if (id != 0 && !s.atEnd()) {
                throw s.error("section " + id + " has trailing bytes");
            }
            if (id == 0) {
                s.skip(s.end() - s.pos());
            }
        }
        if (memories > 1) {
            throw new ComponentParser.Unsupported("a core module with several memories");
        }
        return new ModuleShape(List.copyOf(imports), exports, functions);
    }

    private static Signature type(List<Signature> types, int idx, Reader s) {
        if (idx >= types.size() || types.get(idx) == null) {
            throw s.error("function type " + idx + " out of range");
        }
        return types.get(idx);
    }

    private static Signature funcType(Reader s) {
        int form = s.u8();
        if (form != 0x60) {
            throw new ComponentParser.Unsupported("core GC types in a component's module");
        }
        List<String> params = new ArrayList<>();
        int n = s.count(1);
        for (int i = 0; i < n; i++) {
            params.add(valType(s));
        }
        List<String> results = new ArrayList<>();
        n = s.count(1);
        for (int i = 0; i < n; i++) {
            results.add(valType(s));
        }
        return new Signature(List.copyOf(params), List.copyOf(results));
    }

    static String valType(Reader s) {
        int b = s.u8();
        return switch (b) {
            case 0x7f -> "i32";
            case 0x7e -> "i64";
            case 0x7d -> "f32";
            case 0x7c -> "f64";
            case 0x7b -> "v128";
            case 0x70 -> "funcref";
            case 0x6f -> "externref";
            case 0x63, 0x64 -> {
                s.s33();
                yield "ref";
            }
            default -> throw s.error("bad core value type 0x" + Integer.toHexString(b));
        };
    }

    private static void limits(Reader s) {
        int flags = s.u8();
        if (flags > 0x07) {
            throw s.error("bad limits");
        }
        skipLeb(s);
        if ((flags & 1) != 0) {
            skipLeb(s);
        }
    }

    private static void skipLeb(Reader s) {
        for (int i = 0; i < 10; i++) {
            if ((s.u8() & 0x80) == 0) {
                return;
            }
        }
        throw s.error("integer representation too long");
    }

    /** Skips one core type definition of a component (a function or module type). */
    static void skipCoreType(Reader s) {
        int b = s.u8();
        if (b == 0x60) {
            int n = s.count(1);
            for (int i = 0; i < n; i++) {
                valType(s);
            }
            n = s.count(1);
            for (int i = 0; i < n; i++) {
                valType(s);
            }
            return;
        }
        if (b == 0x50) {
            int n = s.count(1);
            for (int i = 0; i < n; i++) {
                int d = s.u8();
                switch (d) {
                    case 0x00 -> {
                        s.name();
                        s.name();
                        importDesc(s);
                    }
                    case 0x01 -> {
                        int t = s.u8();
                        if (t != 0x60) {
                            throw new ComponentParser.Unsupported("core GC types");
                        }
                        int m = s.count(1);
                        for (int j = 0; j < m; j++) {
                            valType(s);
                        }
                        m = s.count(1);
                        for (int j = 0; j < m; j++) {
                            valType(s);
                        }
                    }
                    case 0x02 -> {
                        if (s.u8() != 0x10 || s.u8() != 0x01) {
                            throw s.error("bad core alias in a module type");
                        }
                        s.index();
                        s.index();
                    }
                    case 0x03 -> {
                        s.name();
                        importDesc(s);
                    }
                    default -> throw s.error("bad module type declaration");
                }
            }
            return;
        }
        throw new ComponentParser.Unsupported("core GC types");
    }

    private static void importDesc(Reader s) {
        int kind = s.u8();
        switch (kind) {
            case 0x00 -> s.index();
            case 0x01 -> {
                valType(s);
                limits(s);
            }
            case 0x02 -> limits(s);
            case 0x03 -> {
                valType(s);
                s.u8();
            }
            case 0x04 -> {
                s.u8();
                s.index();
            }
            default -> throw s.error("bad import kind");
        }
    }
}
