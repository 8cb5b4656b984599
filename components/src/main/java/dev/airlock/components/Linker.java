package dev.airlock.components;

import dev.airlock.components.Items.CoreExport;
import dev.airlock.components.Items.Instantiated;
import dev.airlock.components.abi.Layout;
import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.Ast.Def;
import dev.airlock.components.binary.Ast.Sort;
import dev.airlock.components.binary.ComponentParser;
import dev.airlock.components.binary.CoreTypes;
import dev.airlock.components.types.WitType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a parsed component: walks its definitions in order, filling the index spaces with what
 * each definition makes, instantiates nested components with their arguments, checks every index,
 * name and canonical function against the types, and collects the core instances to create.
 */
final class Linker {
    /** Index spaces of one component, instance type or component type. */
    static final class Env {
        final Env parent;
        private final Map<Sort, List<Object>> spaces = new EnumMap<>(Sort.class);

        Env(Env parent) {
            this.parent = parent;
        }

        Object get(Sort sort, int index) throws ComponentException {
            List<Object> l = spaces.get(sort);
            if (index < 0 || l == null || index >= l.size()) {
                throw ComponentException.invalid(sort.text() + " index " + index + " out of range");
            }
            return l.get(index);
        }

        void add(Sort sort, Object item) throws ComponentException {
            if (!fits(sort, item)) {
                throw ComponentException.invalid(
                        "a " + sort.text() + " index names another kind of item");
            }
            spaces.computeIfAbsent(sort, s -> new ArrayList<>()).add(item);
        }

        private static boolean fits(Sort sort, Object o) {
            return switch (sort) {
                case CORE_FUNC ->
                        o instanceof Items.Builtin
                                || o instanceof Items.Lowered
                                || (o instanceof CoreExport c && c.kind().equals("func"));
                case CORE_TABLE -> o instanceof CoreExport c && c.kind().equals("table");
                case CORE_MEMORY -> o instanceof CoreExport c && c.kind().equals("memory");
                case CORE_GLOBAL -> o instanceof CoreExport c && c.kind().equals("global");
                case CORE_TAG -> o instanceof CoreExport c && c.kind().equals("tag");
                case CORE_TYPE -> o == Items.CoreType.INSTANCE;
                case CORE_MODULE ->
                        o instanceof Items.CoreModule
                                || o instanceof Items.ImportedOther
                                || o == Items.CoreType.INSTANCE;
                case CORE_INSTANCE -> o instanceof Items.CoreInstance;
                case FUNC ->
                        o instanceof Items.Lifted
                                || o instanceof Items.ImportedFunc
                                || o instanceof Items.FuncDecl;
                case VALUE -> false;
                case TYPE ->
                        o instanceof WitType
                                || o instanceof WitType.Resource
                                || o instanceof WitType.Func
                                || o instanceof Items.InstanceType
                                || o instanceof Items.ComponentType;
                case COMPONENT ->
                        o instanceof Items.ComponentDef
                                || o instanceof Items.ImportedOther
                                || o instanceof Items.ComponentType;
                case INSTANCE -> o instanceof Items.Instance || o instanceof Items.InstanceType;
            };
        }
    }

    /** The linked top level. */
    record Linked(
            Map<String, Object> imports,
            Items.Instance root,
            List<Instantiated> coreInstances,
            Layout layout) {}

    private static final int MAX_INSTANTIATIONS = 10_000;

    private final Layout layout = new Layout();
    private final List<Instantiated> cores = new ArrayList<>();
    private final Map<String, Object> imports = new LinkedHashMap<>();
    private int moduleIds;
    private int instantiations;

    private Linker() {}

    static Linked link(Ast.Component c) throws ComponentException {
        Linker l = new Linker();
        Items.Instance root = l.instantiate(c, null, null, "");
        return new Linked(l.imports, root, List.copyOf(l.cores), l.layout);
    }

    private Items.Instance instantiate(
            Ast.Component c, Env parent, Map<String, Object> args, String path)
            throws ComponentException {
        if (++instantiations > MAX_INSTANTIATIONS) {
            throw ComponentException.unsupported(
                    "more than " + MAX_INSTANTIATIONS + " component instantiations");
        }
        Env env = new Env(parent);
        Map<String, Object> exports = new LinkedHashMap<>();
        for (Def d : c.defs()) {
            if (d instanceof Ast.CoreModule m) {
                CoreTypes.ModuleShape shape;
                try {
                    shape = CoreTypes.shape(m.bytes());
                } catch (ComponentParser.ParseException e) {
                    throw new ComponentException(
                            e.unsupported()
                                    ? ComponentException.Kind.UNSUPPORTED
                                    : ComponentException.Kind.MALFORMED,
                            e.getMessage());
                }
                env.add(Sort.CORE_MODULE, new Items.CoreModule(moduleIds++, m.bytes(), shape));
            } else if (d instanceof Ast.CoreInstantiate ci) {
                env.add(Sort.CORE_INSTANCE, coreInstantiate(env, ci));
            } else if (d instanceof Ast.CoreInline ci) {
                Map<String, Object> ex = new LinkedHashMap<>();
                for (Ast.SortIdx si : ci.exports()) {
                    if (ex.put(si.name(), env.get(si.sort(), si.index())) != null) {
                        throw ComponentException.invalid("duplicate core export " + si.name());
                    }
                }
                env.add(Sort.CORE_INSTANCE, new Items.InlineCore(ex));
            } else if (d instanceof Ast.CoreTypeDef) {
                env.add(Sort.CORE_TYPE, Items.CoreType.INSTANCE);
            } else if (d instanceof Ast.Nested n) {
                env.add(Sort.COMPONENT, new Items.ComponentDef(n.component(), env));
            } else if (d instanceof Ast.Instantiate in) {
                Object cd = env.get(Sort.COMPONENT, in.component());
                if (!(cd instanceof Items.ComponentDef def)) {
                    throw ComponentException.unsupported("instantiating an imported component");
                }
                Map<String, Object> a = new LinkedHashMap<>();
                for (Ast.SortIdx si : in.args()) {
                    if (a.put(si.name(), env.get(si.sort(), si.index())) != null) {
                        throw ComponentException.invalid("duplicate argument " + si.name());
                    }
                }
                env.add(Sort.INSTANCE, instantiate(def.ast(), def.parent(), a, path));
            } else if (d instanceof Ast.Inline in) {
                Map<String, Object> ex = new LinkedHashMap<>();
                for (Ast.SortIdx si : in.exports()) {
                    if (ex.put(si.name(), env.get(si.sort(), si.index())) != null) {
                        throw ComponentException.invalid("duplicate export " + si.name());
                    }
                }
                env.add(Sort.INSTANCE, new Items.Instance(ex));
            } else if (d instanceof Ast.Alias a) {
                env.add(a.sort(), alias(env, a));
            } else if (d instanceof Ast.TypeDef t) {
                env.add(Sort.TYPE, TypeResolver.type(this, env, t.type(), true));
            } else if (d instanceof Ast.Canon cn) {
                canon(env, cn);
            } else if (d instanceof Ast.Import im) {
                Object item;
                if (args == null) {
                    item = TypeResolver.imported(this, env, im.name(), im.type());
                    imports.put(im.name(), item);
                } else {
                    item = args.get(im.name());
                    if (item == null) {
                        throw ComponentException.invalid(
                                "nested component instantiated without its import " + im.name());
                    }
                }
                env.add(im.type().sort(), item);
            } else if (d instanceof Ast.Export ex) {
                Object item = env.get(ex.sort(), ex.index());
                if (ex.ascribed() != null && ex.ascribed().sort() == Sort.FUNC) {
                    item = ascribe(item, env.get(Sort.TYPE, ex.ascribed().index()));
                }
                if (exports.put(ex.name(), item) != null) {
                    throw ComponentException.invalid("duplicate export " + ex.name());
                }
                env.add(ex.sort(), item);
            }
        }
        return new Items.Instance(exports);
    }

    private Object ascribe(Object item, Object type) throws ComponentException {
        if (!(type instanceof WitType.Func ft)) {
            throw ComponentException.invalid("export ascribed a type that is not a function type");
        }
        if (item instanceof Items.Lifted l) {
            if (!layout.coreParams(ft).equals(layout.coreParams(l.type()))
                    || !layout.coreResults(ft).equals(layout.coreResults(l.type()))) {
                throw ComponentException.invalid("export ascribed a different function type");
            }
            return new Items.Lifted(l.core(), l.opts(), ft, layout.paramTuple(ft), l.spill());
        }
        if (item instanceof Items.ImportedFunc f) {
            return new Items.ImportedFunc(f.path(), ft);
        }
        return item;
    }

    Layout layout() {
        return layout;
    }

    private Instantiated coreInstantiate(Env env, Ast.CoreInstantiate ci)
            throws ComponentException {
        Object m = env.get(Sort.CORE_MODULE, ci.module());
        if (!(m instanceof Items.CoreModule module)) {
            throw ComponentException.unsupported("instantiating an imported core module");
        }
        Map<String, Items.CoreInstance> args = new LinkedHashMap<>();
        for (Ast.Named n : ci.args()) {
            Items.CoreInstance inst =
                    (Items.CoreInstance) env.get(Sort.CORE_INSTANCE, n.instance());
            if (args.put(n.name(), inst) != null) {
                throw ComponentException.invalid("duplicate core argument " + n.name());
            }
        }
        for (CoreTypes.Import im : module.shape().imports()) {
            Items.CoreInstance from = args.get(im.module());
            if (from == null) {
                if (im.module().equals("wasi_snapshot_preview1")) {
                    continue;
                }
                throw ComponentException.invalid(
                        "core module import " + im.module() + "." + im.name() + " not supplied");
            }
            Object item = coreExport(from, im.name());
            if (item == null) {
                throw ComponentException.invalid(
                        "core module import " + im.module() + "." + im.name() + " not supplied");
            }
        }
        Instantiated inst = new Instantiated(cores.size(), module, args);
        cores.add(inst);
        return inst;
    }

    /** An export of a core instance, or null. */
    static Object coreExport(Items.CoreInstance from, String name) {
        if (from instanceof Items.InlineCore ic) {
            return ic.exports().get(name);
        }
        Instantiated in = (Instantiated) from;
        String kind = in.module.shape().exports().get(name);
        return kind == null ? null : new CoreExport(in, name, kind);
    }

    private Object alias(Env env, Ast.Alias a) throws ComponentException {
        if (a.name() == null) {
            Env e = env;
            for (int i = 0; i < a.outer(); i++) {
                e = e.parent;
                if (e == null) {
                    throw ComponentException.invalid("outer alias beyond the outermost component");
                }
            }
            return e.get(a.sort(), a.index());
        }
        if (a.core()) {
            Object inst = env.get(Sort.CORE_INSTANCE, a.instance());
            Object item = coreExport((Items.CoreInstance) inst, a.name());
            if (item == null) {
                throw ComponentException.invalid("core instance has no export " + a.name());
            }
            return item;
        }
        Object inst = env.get(Sort.INSTANCE, a.instance());
        if (!(inst instanceof Items.Instance ci)) {
            throw ComponentException.invalid("alias of an export of something not an instance");
        }
        Object item = ci.exports().get(a.name());
        if (item == null) {
            throw ComponentException.invalid("instance has no export " + a.name());
        }
        return item;
    }

    private void canon(Env env, Ast.Canon cn) throws ComponentException {
        switch (cn.kind()) {
            case LIFT -> env.add(Sort.FUNC, Canon.lift(this, env, cn));
            case LOWER -> {
                Object f = env.get(Sort.FUNC, cn.func());
                env.add(Sort.CORE_FUNC, new Items.Lowered(f, Canon.opts(env, cn)));
            }
            default -> {
                Object t = env.get(Sort.TYPE, cn.type());
                if (!(t instanceof WitType.Resource r)) {
                    throw ComponentException.invalid("resource built-in of a type not a resource");
                }
                if (!r.defined() && cn.kind() != Ast.CanonKind.RESOURCE_DROP) {
                    throw ComponentException.invalid(
                            "resource.new or resource.rep of a resource the component does not"
                                    + " define");
                }
                env.add(Sort.CORE_FUNC, new Items.Builtin(cn.kind(), r));
            }
        }
    }
}
