package dev.airlock.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.abi.Layout;
import dev.airlock.components.abi.Lift;
import dev.airlock.components.abi.Lower;
import dev.airlock.components.types.WitType;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call from one component into another's export, as the importer's lowered function: the
 * arguments are lifted from the importer's memory, passed as JSON to the exporter's instance (which
 * runs it as its own call, under its own policy and budget, with its own audit events), and the
 * result is lowered back into the importer. The importer's audit event names the exporter and the
 * function and summarises the typed arguments. A call the exporter does not finish {@code ok} traps
 * the importer.
 */
final class CrossCall {
    /** The longest argument text an audit event keeps. */
    static final int SUMMARY_CHARS = 256;

    private CrossCall() {}

    static LinkedImport.Handler handler(
            ComponentInstance importer,
            Items.Lowered l,
            Items.ImportedFunc f,
            String exporterName,
            ComponentInstance exporter,
            String function) {
        Layout layout = importer.component().linked().layout();
        WitType.Func type = f.type();
        return (GuestAccess guest, long[] args) -> {
            Context cx =
                    new Context(guest, l.opts(), importer.handles(), importer.placement()::export);
            ArrayNode jargs = arguments(layout, cx, type, args);
            ComponentResult r;
            try {
                r = exporter.call(function, jargs, importer.stdio());
            } catch (ComponentException e) {
                throw new AbiTrap("call into " + exporterName + " refused: " + e.getMessage());
            }
            Outcome o = r.outcome();
            if (!o.isOk()) {
                throw new AbiTrap(
                        "component "
                                + exporterName
                                + " did not finish "
                                + function
                                + ": "
                                + o.message());
            }
            WitType rt = type.result();
            if (rt == null) {
                return null;
            }
            Lower lower = new Lower(layout, cx);
            if (layout.flatCount(rt) > Layout.MAX_FLAT_RESULTS) {
                lower.store(r.value(), rt, args[args.length - 1] & 0xFFFF_FFFFL);
                return null;
            }
            List<Long> flat = new ArrayList<>();
            lower.flat(r.value(), rt, flat);
            return new long[] {flat.get(0)};
        };
    }

    /** The audit summary of a call: the exporter, the function and the arguments as JSON. */
    static LinkedImport.Summary summary(
            ComponentInstance importer, Items.Lowered l, Items.ImportedFunc f, String exporter) {
        Layout layout = importer.component().linked().layout();
        return (guest, args) -> {
            Context cx =
                    new Context(guest, l.opts(), importer.handles(), importer.placement()::export);
            String text = arguments(layout, cx, f.type(), args).toString();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("component", exporter);
            m.put("function", f.path());
            m.put(
                    "args",
                    text.length() <= SUMMARY_CHARS
                            ? text
                            : text.substring(0, SUMMARY_CHARS) + "...");
            return m;
        };
    }

    private static ArrayNode arguments(Layout layout, Context cx, WitType.Func type, long[] args) {
        Lift lift =
                new Lift(
                        layout,
                        cx,
                        ComponentInstance.MAX_RESULT_VALUES,
                        ComponentInstance.MAX_RESULT_STRING_BYTES);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (layout.paramsInMemory(type)) {
            JsonNode all = lift.load(args[0] & 0xFFFF_FFFFL, layout.paramTuple(type));
            all.forEach(out::add);
            return out;
        }
        Lift.Cursor c = new Lift.Cursor(args);
        for (WitType.Field p : type.params()) {
            out.add(lift.flat(c, p.type()));
        }
        return out;
    }
}
