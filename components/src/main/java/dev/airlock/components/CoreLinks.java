package dev.airlock.components;

import dev.airlock.components.abi.Layout;
import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.CoreTypes;
import dev.airlock.components.wasi.Wasi2;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LinkedImport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Supplies a guest's host imports within a component: the canonical resource built-ins and the
 * lowered component imports (WASI 0.2, see {@link Wasi2}), as functions linked to the instance
 * (their calls pass core's mediation point like any host call). WASI preview 1 imports are left to
 * core, which supplies them under the policy.
 */
final class CoreLinks {
    private CoreLinks() {}

    static InstanceSetup setup(
            ComponentInstance ci, Placement.Guest g, dev.airlock.core.event.EventSink events)
            throws ComponentException {
        // a fuel budget is each call's, guest by guest (and each linked component's its own)
        InstanceSetup.Builder b = InstanceSetup.builder().events(events).fuelPerCall(true);
        Layout layout = ci.component().linked().layout();
        for (Map.Entry<List<String>, Object> e : g.host().entrySet()) {
            String module = e.getKey().get(0);
            String name = e.getKey().get(1);
            Object item = e.getValue();
            if (item == Placement.PREVIEW1) {
                continue;
            }
            CoreTypes.Signature sig = signature(item, layout);
            List<ValueType> params = types(sig.params());
            List<ValueType> results = types(sig.results());
            if (item instanceof Items.Builtin bi) {
                b.link(new LinkedImport(module, name, params, results, builtin(ci, bi)));
            } else {
                b.link(lowered(ci, (Items.Lowered) item, module, name, params, results));
            }
        }
        return b.build();
    }

    /**
     * A lowered import: a call into the component that supplies its interface, or WASI 0.2.
     *
     * @throws ComponentException if nothing supplies it (not another component's export nor a
     *     supported WASI 0.2 function), or it is WASI lowered with strings that are not UTF-8
     */
    private static LinkedImport lowered(
            ComponentInstance ci,
            Items.Lowered l,
            String module,
            String name,
            List<ValueType> params,
            List<ValueType> results)
            throws ComponentException {
        Items.ImportedFunc f = (Items.ImportedFunc) l.func();
        String iface = iface(f.path());
        ComponentInstance.Supplier from = ci.supplier(iface);
        if (from != null) {
            String fn = iface + f.path().substring(iface.length());
            return new LinkedImport(
                    module,
                    name,
                    params,
                    results,
                    CrossCall.handler(ci, l, f, from.name(), from.instance(), fn),
                    CrossCall.summary(ci, l, f, from.name()));
        }
        if (!Wasi2.supports(f.path())) {
            throw new ComponentException(
                    ComponentException.Kind.UNKNOWN_IMPORT,
                    "component import '" + f.path() + "' is not supplied");
        }
        if (l.opts().encoding() != Items.Encoding.UTF8) {
            throw ComponentException.unsupported(
                    "WASI imports lowered with strings other than UTF-8");
        }
        String realloc =
                l.opts().realloc() == null ? null : ci.placement().export(l.opts().realloc());
        return new LinkedImport(
                module,
                name,
                params,
                results,
                Wasi2.handler(f.path(), f.type(), realloc, ci.handles(), ci.wasi()));
    }

    /** The interface of an imported function's path ({@code INTERFACE#NAME}). */
    static String iface(String path) {
        int hash = path.indexOf('#');
        return hash < 0 ? path : path.substring(0, hash);
    }

    /**
     * The core signature a built-in or lowered import must have.
     *
     * @throws ComponentException if it lowers a function the component defines itself
     */
    static CoreTypes.Signature signature(Object item, Layout layout) throws ComponentException {
        if (item instanceof Items.Builtin bi) {
            return new CoreTypes.Signature(
                    List.of("i32"),
                    bi.kind() == Ast.CanonKind.RESOURCE_DROP ? List.of() : List.of("i32"));
        }
        Items.Lowered l = (Items.Lowered) item;
        if (!(l.func() instanceof Items.ImportedFunc f)) {
            throw ComponentException.unsupported(
                    "lowering a function the component defines itself");
        }
        List<String> params = new ArrayList<>(layout.coreParams(f.type()));
        List<String> results = layout.coreResults(f.type());
        if (f.type().result() != null
                && layout.flatCount(f.type().result()) > Layout.MAX_FLAT_RESULTS) {
            params.add("i32");
            results = List.of();
        }
        return new CoreTypes.Signature(params, results);
    }

    private static List<ValueType> types(List<String> names) {
        List<ValueType> out = new ArrayList<>();
        for (String n : names) {
            out.add(
                    switch (n) {
                        case "i32" -> ValueType.I32;
                        case "i64" -> ValueType.I64;
                        case "f32" -> ValueType.F32;
                        default -> ValueType.F64;
                    });
        }
        return out;
    }

    private static void dropRemote(CrossCall.Remote r, ComponentInstance ci) {
        dev.airlock.core.Outcome o;
        try {
            o = r.owner().drop(r.hostHandle(), ci.stdio());
        } catch (ComponentException e) {
            throw new dev.airlock.components.abi.AbiTrap("dropping a handle: " + e.getMessage());
        }
        if (o != null && !o.isOk()) {
            throw new dev.airlock.components.abi.AbiTrap(
                    "the component that owns a dropped handle failed: " + o.message());
        }
    }

    private static LinkedImport.Handler builtin(ComponentInstance ci, Items.Builtin bi) {
        Handles h = ci.handles();
        return (GuestAccess guest, long[] args) -> {
            int a = (int) args[0];
            switch (bi.kind()) {
                case RESOURCE_NEW:
                    return new long[] {h.add(new Handles.Entry(bi.resource(), a))};
                case RESOURCE_REP:
                    return new long[] {h.get(a, bi.resource()).rep()};
                default:
                    Handles.Entry e = h.remove(a, bi.resource());
                    if (bi.resource().dtor() instanceof Items.CoreExport d) {
                        guest.callExport(ci.placement().export(d), e.rep());
                    } else if (!bi.resource().defined()) {
                        if (ci.wasi().object(e.rep()) instanceof CrossCall.Remote r) {
                            // a handle of another component's: its owner drops it (destructor)
                            ci.wasi().drop(e.rep());
                            dropRemote(r, ci);
                        } else {
                            Wasi2.drop(ci.wasi(), e.rep(), guest);
                        }
                    }
                    return null;
            }
        };
    }
}
