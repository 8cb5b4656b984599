package dev.airlock.components.binary;

import dev.airlock.components.binary.Ast.Def;
import dev.airlock.components.binary.Ast.Sort;
import dev.airlock.components.binary.Ast.TypeAst;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads type definitions of the component binary format. */
final class Types {
    private Types() {}

    static TypeAst defType(Reader s, int depth) {
        int b = s.u8();
        switch (b) {
            case 0x40:
                return func(s);
            case 0x43:
                throw new ComponentParser.Unsupported("async function types");
            case 0x41:
                return new Ast.ComponentT(decls(s, depth + 1, true));
            case 0x42:
                return new Ast.InstanceT(decls(s, depth + 1, false));
            case 0x3f:
                {
                    if (s.u8() != 0x7f) {
                        throw s.error("resource representation must be i32");
                    }
                    int has = s.u8();
                    if (has > 1) {
                        throw s.error("bad resource destructor flag");
                    }
                    return new Ast.ResourceT(has == 1 ? s.index() : -1);
                }
            case 0x3e:
                throw new ComponentParser.Unsupported("async resource types");
            default:
                return defValType(s, b);
        }
    }

    private static Ast.FuncT func(Reader s) {
        int n = s.count(2);
        List<Ast.Field> params = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String name = s.componentName();
            if (!seen.add(name)) {
                throw s.error("duplicate parameter name " + name);
            }
            params.add(new Ast.Field(name, valType(s)));
        }
        int r = s.u8();
        if (r == 0x00) {
            return new Ast.FuncT(List.copyOf(params), valType(s));
        }
        if (r == 0x01) {
            if (s.u8() != 0x00) {
                throw new ComponentParser.Unsupported("named function results");
            }
            return new Ast.FuncT(List.copyOf(params), null);
        }
        throw s.error("bad result list");
    }

    private static TypeAst defValType(Reader s, int b) {
        switch (b) {
            case 0x72:
                {
                    List<Ast.Field> fields = labeled(s, true);
                    if (fields.isEmpty()) {
                        throw s.error("record with no fields");
                    }
                    return new Ast.RecordT(fields);
                }
            case 0x71:
                {
                    int n = s.count(3);
                    if (n == 0) {
                        throw s.error("variant with no cases");
                    }
                    List<Ast.Field> cases = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String name = s.componentName();
                        TypeAst t = optionalValType(s);
                        if (s.u8() != 0x00) {
                            throw new ComponentParser.Unsupported("variant case refinements");
                        }
                        cases.add(new Ast.Field(name, t));
                    }
                    return new Ast.VariantT(List.copyOf(cases));
                }
            case 0x70:
                return new Ast.ListT(valType(s));
            case 0x67:
                throw new ComponentParser.Unsupported("fixed-length lists");
            case 0x6f:
                {
                    int n = s.count(1);
                    if (n == 0) {
                        throw s.error("tuple with no types");
                    }
                    List<TypeAst> types = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        types.add(valType(s));
                    }
                    return new Ast.TupleT(List.copyOf(types));
                }
            case 0x6e:
                {
                    List<String> names = labels(s);
                    if (names.isEmpty() || names.size() > 32) {
                        throw s.error("flags must have 1 to 32 names");
                    }
                    return new Ast.FlagsT(names);
                }
            case 0x6d:
                {
                    List<String> names = labels(s);
                    if (names.isEmpty()) {
                        throw s.error("enum with no cases");
                    }
                    return new Ast.EnumT(names);
                }
            case 0x6b:
                return new Ast.OptionT(valType(s));
            case 0x6a:
                {
                    TypeAst ok = optionalValType(s);
                    return new Ast.ResultT(ok, optionalValType(s));
                }
            case 0x69:
                return new Ast.OwnT(s.index());
            case 0x68:
                return new Ast.BorrowT(s.index());
            case 0x66:
                throw new ComponentParser.Unsupported("stream types");
            case 0x65:
                throw new ComponentParser.Unsupported("future types");
            case 0x64:
                throw new ComponentParser.Unsupported("error-context types");
            case 0x63:
                throw new ComponentParser.Unsupported("map types");
            default:
                {
                    String p = prim(b);
                    if (p == null) {
                        throw s.error("bad type 0x" + Integer.toHexString(b));
                    }
                    return new Ast.Prim(p);
                }
        }
    }

    private static List<Ast.Field> labeled(Reader s, boolean unique) {
        int n = s.count(2);
        List<Ast.Field> out = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String name = s.componentName();
            if (unique && !seen.add(name)) {
                throw s.error("duplicate name " + name);
            }
            out.add(new Ast.Field(name, valType(s)));
        }
        return List.copyOf(out);
    }

    private static List<String> labels(Reader s) {
        int n = s.count(1);
        List<String> out = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String name = s.componentName();
            if (!seen.add(name)) {
                throw s.error("duplicate name " + name);
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static TypeAst optionalValType(Reader s) {
        int has = s.u8();
        if (has == 0) {
            return null;
        }
        if (has != 1) {
            throw s.error("bad optional type flag");
        }
        return valType(s);
    }

    static TypeAst valType(Reader s) {
        int at = s.pos();
        long v = s.s33();
        if (v >= 0) {
            if (v > Integer.MAX_VALUE) {
                throw s.error("type index too large");
            }
            return new Ast.Ref((int) v);
        }
        String p = v >= -64 ? prim((int) (v + 0x80)) : null;
        if (p == null) {
            throw new Reader.Malformed("bad value type at offset " + at);
        }
        return new Ast.Prim(p);
    }

    private static String prim(int b) {
        return switch (b) {
            case 0x7f -> "bool";
            case 0x7e -> "s8";
            case 0x7d -> "u8";
            case 0x7c -> "s16";
            case 0x7b -> "u16";
            case 0x7a -> "s32";
            case 0x79 -> "u32";
            case 0x78 -> "s64";
            case 0x77 -> "u64";
            case 0x76 -> "f32";
            case 0x75 -> "f64";
            case 0x74 -> "char";
            case 0x73 -> "string";
            default -> null;
        };
    }

    static Ast.Extern extern(Reader s) {
        int b = s.u8();
        switch (b) {
            case 0x00:
                if (s.u8() != 0x11) {
                    throw s.error("bad core extern type");
                }
                return new Ast.Extern(Sort.CORE_MODULE, s.index(), false);
            case 0x01:
                return new Ast.Extern(Sort.FUNC, s.index(), false);
            case 0x02:
                throw new ComponentParser.Unsupported("component values");
            case 0x03:
                {
                    int bound = s.u8();
                    if (bound == 0x00) {
                        return new Ast.Extern(Sort.TYPE, s.index(), false);
                    }
                    if (bound == 0x01) {
                        return new Ast.Extern(Sort.TYPE, -1, true);
                    }
                    throw s.error("bad type bound");
                }
            case 0x04:
                return new Ast.Extern(Sort.COMPONENT, s.index(), false);
            case 0x05:
                return new Ast.Extern(Sort.INSTANCE, s.index(), false);
            default:
                throw s.error("bad extern type 0x" + Integer.toHexString(b));
        }
    }

    private static List<Def> decls(Reader s, int depth, boolean component) {
        if (depth > ComponentParser.MAX_DEPTH) {
            throw s.error("types nested deeper than " + ComponentParser.MAX_DEPTH);
        }
        int n = s.count(2);
        List<Def> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int b = s.u8();
            switch (b) {
                case 0x00 -> {
                    CoreTypes.skipCoreType(s);
                    out.add(new Ast.CoreTypeDef());
                }
                case 0x01 -> out.add(new Ast.TypeDef(defType(s, depth)));
                case 0x02 -> out.add(ComponentParser.alias(s));
                case 0x03 -> {
                    if (!component) {
                        throw s.error("import in an instance type");
                    }
                    out.add(new Ast.Import(ComponentParser.externName(s), extern(s)));
                }
                case 0x04 -> {
                    String name = ComponentParser.externName(s);
                    Ast.Extern e = extern(s);
                    out.add(new Ast.Export(name, e.sort(), e.index(), e));
                }
                default -> throw s.error("bad declaration 0x" + Integer.toHexString(b));
            }
        }
        return List.copyOf(out);
    }
}
