package dev.airlock.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.abi.JsonCheck;
import dev.airlock.components.abi.Layout;
import dev.airlock.components.abi.Lift;
import dev.airlock.components.abi.Lower;
import dev.airlock.components.types.WitType;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import dev.airlock.core.TrapKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of one call of a {@link ComponentInstance}'s export through the canonical ABI: its JSON
 * arguments checked against the function's parameters, lowered into the guest, the core export
 * called, and its result lifted back to JSON.
 */
final class ExportCall {
    private ExportCall() {}

    /**
     * The exported function, once the arguments are checked to fit its parameters.
     *
     * @throws ComponentException ({@code bad-call}) if there is no such function or the arguments
     *     do not fit
     */
    static Items.Lifted checked(
            Component component, Handles handles, String function, JsonNode args)
            throws ComponentException {
        Items.Lifted f = component.function(function);
        if (f == null) {
            throw new ComponentException(
                    ComponentException.Kind.BAD_CALL,
                    "no exported function '"
                            + function
                            + "' (exports: "
                            + String.join(", ", component.functions())
                            + ")");
        }
        List<WitType.Field> params = f.type().params();
        if (args == null || !args.isArray() || args.size() != params.size()) {
            throw new ComponentException(
                    ComponentException.Kind.BAD_CALL,
                    function
                            + " takes a JSON array of "
                            + params.size()
                            + " argument"
                            + (params.size() == 1 ? "" : "s"));
        }
        for (int i = 0; i < params.size(); i++) {
            try {
                JsonCheck.check(
                        args.get(i),
                        params.get(i).type(),
                        params.get(i).name(),
                        (type, handle, own) -> hostHandle(handles, type, handle));
            } catch (JsonCheck.Mismatch e) {
                throw new ComponentException(
                        ComponentException.Kind.BAD_CALL, "argument " + e.getMessage());
            }
        }
        return f;
    }

    private static String hostHandle(Handles handles, WitType.Resource type, long handle) {
        Handles.Entry e = handles.host(handle);
        if (e == null || e.type() != type) {
            return "no handle " + handle + " of this resource type";
        }
        return null;
    }

    /**
     * Inside the guest's run: lowers the arguments, calls the core export, lifts its result and
     * runs the post-return function, if any.
     *
     * @throws AbiTrap if a value cannot cross the canonical ABI
     */
    static JsonNode invoke(
            GuestAccess guest,
            Items.Lifted f,
            ArrayNode args,
            Layout layout,
            Handles handles,
            Placement placement) {
        Context cx = new Context(guest, f.opts(), handles, placement::export);
        Lower lower = new Lower(layout, cx);
        long[] coreArgs;
        if (f.spill()) {
            long ptr = cx.realloc(0, 0, layout.align(f.params()), layout.size(f.params()));
            lower.store(args, f.params(), ptr);
            coreArgs = new long[] {ptr};
        } else {
            List<Long> flat = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                lower.flat(args.get(i), f.params().types().get(i), flat);
            }
            coreArgs = flat.stream().mapToLong(Long::longValue).toArray();
        }
        long[] results = guest.callExport(placement.export(f.core()), coreArgs);
        WitType rt = f.type().result();
        Lift lift =
                new Lift(
                        layout,
                        cx,
                        ComponentInstance.MAX_RESULT_VALUES,
                        ComponentInstance.MAX_RESULT_STRING_BYTES);
        JsonNode value;
        if (rt == null) {
            value = NullNode.getInstance();
        } else if (layout.flatCount(rt) > Layout.MAX_FLAT_RESULTS) {
            value = lift.load(results[0] & 0xFFFF_FFFFL, rt);
        } else {
            value = lift.flat(new Lift.Cursor(results), rt);
        }
        if (f.opts().postReturn() != null) {
            guest.callExport(placement.export(f.opts().postReturn()), results);
        }
        return value;
    }

    /** The run's outcome, as a trap when it ended {@code ok} but the canonical ABI trapped. */
    static Outcome withTrap(Outcome o, String trap) {
        if (o.status() == Status.OK && trap != null) {
            return new Outcome(
                    Status.TRAP,
                    null,
                    TrapKind.OTHER.id(),
                    "trap: canonical ABI: " + trap,
                    o.usage(),
                    o.denials(),
                    o.moduleSha256());
        }
        return o;
    }
}
