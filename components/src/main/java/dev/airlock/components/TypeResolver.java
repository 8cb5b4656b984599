package dev.airlock.components;

import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.Ast.Def;
import dev.airlock.components.binary.Ast.Sort;
import dev.airlock.components.types.WitType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resolves type definitions and declared imports against index spaces. */
final class TypeResolver {
    private TypeResolver() {}

    /** A type definition: a value, function, resource, instance or component type. */
    static Object type(Linker l, Linker.Env env, Ast.TypeAst t, boolean inComponent)
            throws ComponentException {
        if (t instanceof Ast.FuncT f) {
            List<WitType.Field> params = new ArrayList<>();
            for (Ast.Field p : f.params()) {
                params.add(new WitType.Field(p.name(), val(l, env, p.type())));
            }
            WitType result = f.result() == null ? null : val(l, env, f.result());
            return new WitType.Func(List.copyOf(params), result);
        }
        if (t instanceof Ast.ResourceT r) {
            if (!inComponent) {
                throw ComponentException.invalid("resource defined in a type declaration");
            }
            Object dtor = r.dtor() < 0 ? null : env.get(Sort.CORE_FUNC, r.dtor());
            return new WitType.Resource(true, dtor);
        }
        if (t instanceof Ast.InstanceT it) {
            Linker.Env inner = new Linker.Env(env);
            Map<String, Object> exports = new LinkedHashMap<>();
            decls(l, inner, it.decls(), null, exports);
            return new Items.InstanceType(exports);
        }
        if (t instanceof Ast.ComponentT ct) {
            Linker.Env inner = new Linker.Env(env);
            Map<String, Object> imports = new LinkedHashMap<>();
            Map<String, Object> exports = new LinkedHashMap<>();
            decls(l, inner, ct.decls(), imports, exports);
            return new Items.ComponentType(imports, exports);
        }
        WitType v = defVal(l, env, t);
        return v;
    }

    private static void decls(
            Linker l,
            Linker.Env env,
            List<Def> decls,
            Map<String, Object> imports,
            Map<String, Object> exports)
            throws ComponentException {
        for (Def d : decls) {
            if (d instanceof Ast.CoreTypeDef) {
                env.add(Sort.CORE_TYPE, Items.CoreType.INSTANCE);
            } else if (d instanceof Ast.TypeDef td) {
                env.add(Sort.TYPE, type(l, env, td.type(), false));
            } else if (d instanceof Ast.Alias a) {
                if (a.name() == null) {
                    Linker.Env e = env;
                    for (int i = 0; i < a.outer(); i++) {
                        e = e.parent;
                        if (e == null) {
                            throw ComponentException.invalid("outer alias beyond the outermost");
                        }
                    }
                    env.add(a.sort(), e.get(a.sort(), a.index()));
                } else {
                    Object inst = env.get(Sort.INSTANCE, a.instance());
                    if (!(inst instanceof Items.InstanceType it)
                            || !it.exports().containsKey(a.name())) {
                        throw ComponentException.invalid("alias of a missing export " + a.name());
                    }
                    env.add(a.sort(), it.exports().get(a.name()));
                }
            } else if (d instanceof Ast.Import im) {
                Object item = declared(l, env, im.type());
                imports.put(im.name(), item);
                env.add(im.type().sort(), item);
            } else if (d instanceof Ast.Export ex) {
                Object item = declared(l, env, ex.ascribed());
                if (exports.put(ex.name(), item) != null) {
                    throw ComponentException.invalid("duplicate export " + ex.name());
                }
                env.add(ex.sort(), item);
            } else {
                throw ComponentException.invalid("unexpected declaration in a type");
            }
        }
    }

    /** What a declaration of the given extern type stands for. */
    private static Object declared(Linker l, Linker.Env env, Ast.Extern e)
            throws ComponentException {
        switch (e.sort()) {
            case FUNC -> {
                Object t = env.get(Sort.TYPE, e.index());
                if (!(t instanceof WitType.Func f)) {
                    throw ComponentException.invalid("function declared with a non-function type");
                }
                return new Items.FuncDecl(f);
            }
            case TYPE -> {
                return e.subResource()
                        ? new WitType.Resource(false, null)
                        : env.get(Sort.TYPE, e.index());
            }
            case INSTANCE -> {
                Object t = env.get(Sort.TYPE, e.index());
                if (!(t instanceof Items.InstanceType)) {
                    throw ComponentException.invalid("instance declared with a non-instance type");
                }
                return t;
            }
            case COMPONENT -> {
                Object t = env.get(Sort.TYPE, e.index());
                if (!(t instanceof Items.ComponentType)) {
                    throw ComponentException.invalid("component declared with a wrong type");
                }
                return t;
            }
            case CORE_MODULE -> {
                env.get(Sort.CORE_TYPE, e.index());
                return Items.CoreType.INSTANCE;
            }
            default -> throw ComponentException.unsupported(e.sort().text() + " imports");
        }
    }

    /** An import of the top-level component: a placeholder that says what it is. */
    static Object imported(Linker l, Linker.Env env, String name, Ast.Extern e)
            throws ComponentException {
        Object d = declared(l, env, e);
        if (d instanceof Items.FuncDecl f) {
            return new Items.ImportedFunc(name, f.type());
        }
        if (d instanceof Items.InstanceType it) {
            Map<String, Object> ex = new LinkedHashMap<>();
            for (Map.Entry<String, Object> x : it.exports().entrySet()) {
                Object v = x.getValue();
                ex.put(
                        x.getKey(),
                        v instanceof Items.FuncDecl f
                                ? new Items.ImportedFunc(name + "#" + x.getKey(), f.type())
                                : v);
            }
            return new Items.Instance(ex);
        }
        if (d instanceof Items.ComponentType) {
            return new Items.ImportedOther(name, "component");
        }
        if (d == Items.CoreType.INSTANCE) {
            return new Items.ImportedOther(name, "core module");
        }
        return d;
    }

    static WitType val(Linker l, Linker.Env env, Ast.TypeAst t) throws ComponentException {
        if (t instanceof Ast.Prim p) {
            return WitType.Prim.of(p.name());
        }
        if (t instanceof Ast.Ref r) {
            Object o = env.get(Sort.TYPE, r.index());
            if (!(o instanceof WitType w)) {
                throw ComponentException.invalid("type " + r.index() + " is not a value type");
            }
            return w;
        }
        throw ComponentException.invalid("unexpected inline type");
    }

    private static WitType defVal(Linker l, Linker.Env env, Ast.TypeAst t)
            throws ComponentException {
        WitType w;
        if (t instanceof Ast.Prim || t instanceof Ast.Ref) {
            w = val(l, env, t);
        } else if (t instanceof Ast.RecordT r) {
            w = new WitType.Record(fields(l, env, r.fields()));
        } else if (t instanceof Ast.VariantT v) {
            w = new WitType.Variant(fields(l, env, v.cases()));
        } else if (t instanceof Ast.ListT li) {
            w = new WitType.ListOf(val(l, env, li.element()));
        } else if (t instanceof Ast.TupleT tu) {
            List<WitType> ts = new ArrayList<>();
            for (Ast.TypeAst x : tu.types()) {
                ts.add(val(l, env, x));
            }
            w = new WitType.Tuple(List.copyOf(ts));
        } else if (t instanceof Ast.FlagsT f) {
            w = new WitType.Flags(f.names());
        } else if (t instanceof Ast.EnumT e) {
            w = new WitType.Enum(e.names());
        } else if (t instanceof Ast.OptionT o) {
            w = new WitType.Option(val(l, env, o.type()));
        } else if (t instanceof Ast.ResultT r) {
            w =
                    new WitType.Result(
                            r.ok() == null ? null : val(l, env, r.ok()),
                            r.error() == null ? null : val(l, env, r.error()));
        } else if (t instanceof Ast.OwnT o) {
            w = new WitType.Own(resource(env, o.resource()));
        } else if (t instanceof Ast.BorrowT b) {
            w = new WitType.Borrow(resource(env, b.resource()));
        } else {
            throw ComponentException.invalid("unexpected type");
        }
        String problem = l.layout().register(w);
        if (problem != null) {
            throw ComponentException.unsupported(problem);
        }
        return w;
    }

    private static WitType.Resource resource(Linker.Env env, int index) throws ComponentException {
        Object o = env.get(Sort.TYPE, index);
        if (!(o instanceof WitType.Resource r)) {
            throw ComponentException.invalid("own or borrow of a type that is not a resource");
        }
        return r;
    }

    private static List<WitType.Field> fields(Linker l, Linker.Env env, List<Ast.Field> fs)
            throws ComponentException {
        List<WitType.Field> out = new ArrayList<>();
        for (Ast.Field f : fs) {
            out.add(new WitType.Field(f.name(), f.type() == null ? null : val(l, env, f.type())));
        }
        return List.copyOf(out);
    }
}
