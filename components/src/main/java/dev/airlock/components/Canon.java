package dev.airlock.components;

import dev.airlock.components.Items.CoreExport;
import dev.airlock.components.abi.Layout;
import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.Ast.Sort;
import dev.airlock.components.binary.CoreTypes;
import dev.airlock.components.types.WitType;
import java.util.List;

/** Checks a {@code canon lift} against its core function and options. */
final class Canon {
    private Canon() {}

    static Items.Lifted lift(Linker l, Linker.Env env, Ast.Canon cn) throws ComponentException {
        Object f = env.get(Sort.CORE_FUNC, cn.func());
        Object t = env.get(Sort.TYPE, cn.type());
        if (!(t instanceof WitType.Func type)) {
            throw ComponentException.invalid("canon lift with a type that is not a function type");
        }
        if (!(f instanceof CoreExport core) || !core.kind().equals("func")) {
            throw ComponentException.unsupported(
                    "lifting a core function that no core module exports (such as a lowered"
                            + " import or a built-in)");
        }
        Items.Opts opts = opts(env, cn);
        CoreExport memory = opts.memory();
        CoreExport realloc = opts.realloc();
        CoreExport post = opts.postReturn();
        Layout layout = l.layout();
        List<String> params = layout.coreParams(type);
        List<String> results = layout.coreResults(type);
        CoreTypes.Signature want = new CoreTypes.Signature(params, results);
        CoreTypes.Signature got = core.instance().module.shape().functions().get(core.name());
        if (!want.equals(got)) {
            throw ComponentException.invalid(
                    "core function "
                            + core.name()
                            + " has type "
                            + got
                            + " but lifting it needs "
                            + want);
        }
        boolean spill = layout.paramsInMemory(type);
        boolean needsMemory =
                spill
                        || (type.result() != null
                                && layout.flatCount(type.result()) > Layout.MAX_FLAT_RESULTS);
        boolean needsRealloc = spill;
        for (WitType.Field p : type.params()) {
            if (layout.usesMemory(p.type())) {
                needsMemory = true;
                needsRealloc = true;
            }
        }
        if (type.result() != null && layout.usesMemory(type.result())) {
            needsMemory = true;
        }
        if (needsMemory && memory == null) {
            throw ComponentException.invalid("canon lift of " + core.name() + " needs a memory");
        }
        if (needsRealloc && realloc == null) {
            throw ComponentException.invalid("canon lift of " + core.name() + " needs realloc");
        }
        if (realloc != null) {
            check(realloc, List.of("i32", "i32", "i32", "i32"), List.of("i32"), "realloc");
        }
        if (post != null) {
            check(post, results, List.of(), "post-return");
        }
        return new Items.Lifted(core, opts, type, layout.paramTuple(type), spill);
    }

    /** The canonical options of a {@code canon lift} or {@code canon lower}. */
    static Items.Opts opts(Linker.Env env, Ast.Canon cn) throws ComponentException {
        Items.Encoding enc = null;
        CoreExport memory = null;
        CoreExport realloc = null;
        CoreExport post = null;
        for (Ast.CanonOpt o : cn.opts()) {
            switch (o.kind()) {
                case UTF8, UTF16, LATIN1_UTF16 -> {
                    if (enc != null) {
                        throw ComponentException.invalid("string encoding given twice");
                    }
                    enc =
                            o.kind() == Ast.CanonOptKind.UTF8
                                    ? Items.Encoding.UTF8
                                    : o.kind() == Ast.CanonOptKind.UTF16
                                            ? Items.Encoding.UTF16
                                            : Items.Encoding.LATIN1_UTF16;
                }
                case MEMORY -> memory = once(memory, coreItem(env, Sort.CORE_MEMORY, o), "memory");
                case REALLOC ->
                        realloc = once(realloc, coreItem(env, Sort.CORE_FUNC, o), "realloc");
                case POST_RETURN ->
                        post = once(post, coreItem(env, Sort.CORE_FUNC, o), "post-return");
            }
        }
        return new Items.Opts(enc == null ? Items.Encoding.UTF8 : enc, memory, realloc, post);
    }

    private static CoreExport coreItem(Linker.Env env, Sort sort, Ast.CanonOpt o)
            throws ComponentException {
        Object item = env.get(sort, o.index());
        if (!(item instanceof CoreExport ce)) {
            throw ComponentException.unsupported(
                    "a canonical option that is not a core module's export");
        }
        return ce;
    }

    private static CoreExport once(CoreExport old, CoreExport v, String what)
            throws ComponentException {
        if (old != null) {
            throw ComponentException.invalid(what + " option given twice");
        }
        return v;
    }

    private static void check(CoreExport f, List<String> params, List<String> results, String what)
            throws ComponentException {
        CoreTypes.Signature got = f.instance().module.shape().functions().get(f.name());
        if (!new CoreTypes.Signature(params, results).equals(got)) {
            throw ComponentException.invalid(what + " function " + f.name() + " has type " + got);
        }
    }
}
