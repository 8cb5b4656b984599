package dev.airlock.components;

import dev.airlock.components.binary.CoreTypes;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LinkedImport;
import java.util.List;

/**
 * Supplies a core module's imports within a component: the canonical resource built-ins, as
 * functions linked to the instance (their calls pass core's mediation point like any host call).
 * WASI preview 1 imports are left to core, which supplies them under the policy.
 */
final class CoreLinks {
    private CoreLinks() {}

    static InstanceSetup setup(ComponentInstance ci, Items.Instantiated in)
            throws ComponentException {
        InstanceSetup.Builder b = InstanceSetup.builder();
        for (CoreTypes.Import im : in.module.shape().imports()) {
            Items.CoreInstance from = in.args.get(im.module());
            if (from == null) {
                continue;
            }
            Object item = Linker.coreExport(from, im.name());
            String where = im.module() + "." + im.name();
            if (item instanceof Items.Builtin bi) {
                b.link(builtin(ci, bi, im, where));
            } else if (item instanceof Items.Lowered) {
                throw new ComponentException(
                        ComponentException.Kind.UNKNOWN_IMPORT,
                        "core import " + where + " is a lowered component import, not supplied");
            } else {
                throw ComponentException.unsupported(
                        "core import " + where + " linking one core instance to another");
            }
        }
        return b.build();
    }

    private static LinkedImport builtin(
            ComponentInstance ci, Items.Builtin bi, CoreTypes.Import im, String where)
            throws ComponentException {
        List<String> params = List.of("i32");
        List<String> results =
                bi.kind() == dev.airlock.components.binary.Ast.CanonKind.RESOURCE_DROP
                        ? List.of()
                        : List.of("i32");
        if (!new CoreTypes.Signature(params, results).equals(im.signature())) {
            throw ComponentException.invalid(
                    "core import "
                            + where
                            + " has type "
                            + im.signature()
                            + ", not its built-in's");
        }
        List<ValueType> vr = results.isEmpty() ? List.of() : List.of(ValueType.I32);
        Handles h = ci.handles();
        return new LinkedImport(
                im.module(),
                im.name(),
                List.of(ValueType.I32),
                vr,
                (GuestAccess guest, long[] args) -> {
                    int a = (int) args[0];
                    switch (bi.kind()) {
                        case RESOURCE_NEW:
                            return new long[] {h.add(new Handles.Entry(bi.resource(), a))};
                        case RESOURCE_REP:
                            return new long[] {h.get(a, bi.resource()).rep()};
                        default:
                            Handles.Entry e = h.remove(a, bi.resource());
                            if (bi.resource().dtor() instanceof Items.CoreExport d) {
                                guest.callExport(d.name(), e.rep());
                            }
                            return null;
                    }
                });
    }
}
