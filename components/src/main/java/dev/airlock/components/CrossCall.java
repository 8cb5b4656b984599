package dev.airlock.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.airlock.components.abi.AbiContext;
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
            AbiContext cx = across(guest, importer, l, exporter, false);
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
            AbiContext cx = across(guest, importer, l, null, true);
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

    private static AbiContext across(
            GuestAccess guest,
            ComponentInstance importer,
            Items.Lowered l,
            ComponentInstance exporter,
            boolean peek) {
        return new Across(
                new Context(guest, l.opts(), importer.handles(), importer.placement()::export),
                importer,
                exporter,
                peek);
    }

    /** A resource handle of another component's, as the importer holds it. */
    record Remote(ComponentInstance owner, long hostHandle) {}

    /**
     * The importer's side of a call across: memory and realloc as usual, and resource handles
     * translated. An owned handle the exporter returns becomes a handle in the importer's table
     * whose representation is a {@link Remote}; one the importer passes (owned or borrowed) is
     * given to the exporter as the exporter's own host handle. Only for summaries ({@code peek}),
     * nothing is taken.
     */
    private static final class Across implements AbiContext {
        private final Context cx;
        private final ComponentInstance importer;
        private final ComponentInstance exporter;
        private final boolean peek;

        Across(Context cx, ComponentInstance importer, ComponentInstance exporter, boolean peek) {
            this.cx = cx;
            this.importer = importer;
            this.exporter = exporter;
            this.peek = peek;
        }

        @Override
        public StringEncoding encoding() {
            return cx.encoding();
        }

        @Override
        public long memorySize() {
            return cx.memorySize();
        }

        @Override
        public byte[] read(long address, int length) {
            return cx.read(address, length);
        }

        @Override
        public void write(long address, byte[] bytes) {
            cx.write(address, bytes);
        }

        @Override
        public long realloc(long oldPtr, long oldSize, int align, long newSize) {
            return cx.realloc(oldPtr, oldSize, align, newSize);
        }

        private Remote remote(Handles.Entry e) {
            Object o = importer.wasi().object(e.rep());
            if (!(o instanceof Remote r) || (exporter != null && r.owner() != exporter)) {
                throw new AbiTrap("a resource handle that does not belong to the callee");
            }
            return r;
        }

        @Override
        public long liftOwn(WitType.Resource type, int index) {
            if (peek) {
                return remote(importer.handles().get(index, type)).hostHandle();
            }
            Handles.Entry e = importer.handles().get(index, type);
            Remote r = remote(e);
            importer.handles().remove(index, type);
            importer.wasi().drop(e.rep());
            return r.hostHandle();
        }

        @Override
        public long liftBorrow(WitType.Resource type, int index) {
            return remote(importer.handles().get(index, type)).hostHandle();
        }

        @Override
        public int lowerOwn(WitType.Resource type, long hostHandle) {
            return importer.handles()
                    .add(
                            new Handles.Entry(
                                    type, importer.wasi().add(new Remote(exporter, hostHandle))));
        }

        @Override
        public int lowerBorrow(WitType.Resource type, long hostHandle) {
            throw new AbiTrap("a borrowed handle cannot be returned");
        }
    }

    private static ArrayNode arguments(
            Layout layout, AbiContext cx, WitType.Func type, long[] args) {
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
