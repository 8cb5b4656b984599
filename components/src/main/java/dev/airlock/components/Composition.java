package dev.airlock.components;

import dev.airlock.components.types.WitType;
import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.event.EventSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Components wired together: an interface one component imports is supplied by another that exports
 * it, each component under its own {@link Policy} (its own grants, limits and budget per call) and
 * with its own audit identity (its guests' module hashes in every event). A call across is recorded
 * in the importer's trail as one host call naming the exporter, the function and the typed
 * arguments (as JSON, cut at 256 characters), and runs in the exporter as one call of its own.
 * Instances are created exporters first; a cycle is refused. Not thread-safe.
 *
 * <pre>{@code
 * try (Composition c = Composition.builder()
 *         .add("app", app, Policy.defaults())
 *         .add("store", store, Policy.builder().env("TOKEN", "s3cret").build())
 *         .link("app", "example:store/kv@0.1.0", "store")
 *         .build(airlock, EventSink.none())) {
 *     c.instance("app").runCommand(Stdio.inherit());
 * }
 * }</pre>
 */
public final class Composition implements AutoCloseable {
    private final Map<String, ComponentInstance> instances;

    private Composition(Map<String, ComponentInstance> instances) {
        this.instances = instances;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The instance of a component, by the name it was added under.
     *
     * @throws IllegalArgumentException if there is none
     */
    public ComponentInstance instance(String name) {
        ComponentInstance ci = instances.get(name);
        if (ci == null) {
            throw new IllegalArgumentException("no component " + name + " in the composition");
        }
        return ci;
    }

    @Override
    public void close() {
        for (ComponentInstance ci : instances.values()) {
            ci.close();
        }
    }

    /** Collects components and links; immutable once built. */
    public static final class Builder {
        private final Map<String, Component> components = new LinkedHashMap<>();
        private final Map<String, Policy> policies = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> links = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a component under a name.
         *
         * @throws IllegalArgumentException if the name is taken or blank
         */
        public Builder add(String name, Component component, Policy policy) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || components.containsKey(name)) {
                throw new IllegalArgumentException("component name taken or blank: " + name);
            }
            components.put(name, Objects.requireNonNull(component, "component"));
            policies.put(name, Objects.requireNonNull(policy, "policy"));
            links.put(name, new LinkedHashMap<>());
            return this;
        }

        /**
         * Supplies the interface {@code iface} that {@code importer} imports with the one {@code
         * exporter} exports.
         *
         * @throws IllegalArgumentException if either is not added or the import is linked twice
         */
        public Builder link(String importer, String iface, String exporter) {
            if (!components.containsKey(importer) || !components.containsKey(exporter)) {
                throw new IllegalArgumentException(
                        "link between components not added: " + importer + ", " + exporter);
            }
            if (links.get(importer).putIfAbsent(Objects.requireNonNull(iface), exporter) != null) {
                throw new IllegalArgumentException(importer + " has " + iface + " linked twice");
            }
            return this;
        }

        /**
         * Checks every link (the importer imports the interface, the exporter exports each of its
         * functions with the same type, no resources cross) and creates the instances, exporters
         * first.
         *
         * @throws ComponentException if a link does not fit, the links make a cycle, or a component
         *     cannot be instantiated under its policy
         * @throws ModuleRejectedException if a core module is invalid or cannot run
         */
        public Composition build(Airlock airlock, EventSink events)
                throws ComponentException, ModuleRejectedException {
            for (Map.Entry<String, Map<String, String>> e : links.entrySet()) {
                for (Map.Entry<String, String> l : e.getValue().entrySet()) {
                    check(e.getKey(), l.getKey(), l.getValue());
                }
            }
            List<String> order = new ArrayList<>();
            for (String name : components.keySet()) {
                visit(name, new ArrayList<>(), order);
            }
            Map<String, ComponentInstance> made = new LinkedHashMap<>();
            try {
                for (String name : order) {
                    Map<String, ComponentInstance.Supplier> supplied = new LinkedHashMap<>();
                    links.get(name)
                            .forEach(
                                    (iface, from) ->
                                            supplied.put(
                                                    iface,
                                                    new ComponentInstance.Supplier(
                                                            from, made.get(from))));
                    made.put(
                            name,
                            ComponentInstance.create(
                                    airlock,
                                    components.get(name),
                                    policies.get(name),
                                    events,
                                    supplied));
                }
            } catch (ComponentException | ModuleRejectedException | RuntimeException e) {
                made.values().forEach(ComponentInstance::close);
                throw e;
            }
            return new Composition(made);
        }

        private void visit(String name, List<String> path, List<String> order)
                throws ComponentException {
            if (order.contains(name)) {
                return;
            }
            if (path.contains(name)) {
                path.add(name);
                throw ComponentException.invalid(
                        "the links make a cycle: " + String.join(" -> ", path));
            }
            path.add(name);
            for (String from : links.get(name).values()) {
                visit(from, path, order);
            }
            path.remove(path.size() - 1);
            order.add(name);
        }

        private void check(String importer, String iface, String exporter)
                throws ComponentException {
            Object imported = components.get(importer).linked().imports().get(iface);
            if (!(imported instanceof Items.Instance in)) {
                throw ComponentException.invalid(
                        importer + " does not import the interface " + iface);
            }
            Component ex = components.get(exporter);
            for (Map.Entry<String, Object> e : in.exports().entrySet()) {
                if (!(e.getValue() instanceof Items.ImportedFunc f)) {
                    continue;
                }
                Items.Lifted l = ex.function(iface + "#" + e.getKey());
                String what = iface + "#" + e.getKey();
                if (l == null) {
                    throw ComponentException.invalid(exporter + " does not export " + what);
                }
                if (!sameShape(f.type(), l.type())) {
                    throw ComponentException.invalid(
                            what + " has another type in " + importer + " than in " + exporter);
                }
            }
        }

        /** Equal types, resources matched by kind (own, borrow) rather than by identity. */
        static boolean sameShape(WitType.Func a, WitType.Func b) {
            if (a.params().size() != b.params().size()) {
                return false;
            }
            for (int i = 0; i < a.params().size(); i++) {
                if (!a.params().get(i).name().equals(b.params().get(i).name())
                        || !same(a.params().get(i).type(), b.params().get(i).type())) {
                    return false;
                }
            }
            return same(a.result(), b.result());
        }

        private static boolean same(WitType a, WitType b) {
            if (a == null || b == null) {
                return a == b;
            }
            if (a instanceof WitType.Own || a instanceof WitType.Borrow) {
                return a.getClass() == b.getClass();
            }
            if (a instanceof WitType.ListOf x && b instanceof WitType.ListOf y) {
                return same(x.element(), y.element());
            }
            if (a instanceof WitType.Option x && b instanceof WitType.Option y) {
                return same(x.type(), y.type());
            }
            if (a instanceof WitType.Result x && b instanceof WitType.Result y) {
                return same(x.ok(), y.ok()) && same(x.error(), y.error());
            }
            if (a instanceof WitType.Tuple x && b instanceof WitType.Tuple y) {
                return fields(
                        x.types().stream().map(t -> new WitType.Field("", t)).toList(),
                        y.types().stream().map(t -> new WitType.Field("", t)).toList());
            }
            if (a instanceof WitType.Record x && b instanceof WitType.Record y) {
                return fields(x.fields(), y.fields());
            }
            if (a instanceof WitType.Variant x && b instanceof WitType.Variant y) {
                return fields(x.cases(), y.cases());
            }
            return a.equals(b);
        }

        private static boolean fields(List<WitType.Field> a, List<WitType.Field> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).name().equals(b.get(i).name())
                        || !same(a.get(i).type(), b.get(i).type())) {
                    return false;
                }
            }
            return true;
        }
    }
}
