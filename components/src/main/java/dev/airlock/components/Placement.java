package dev.airlock.components;

import dev.airlock.components.binary.CoreTypes;
import dev.airlock.core.link.Merger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which guest instance each core instance of a component runs in. Core instances that share
 * anything (one imports another's function, table, memory or global, or a canonical option of one
 * names another's memory or realloc) are merged into one core module ({@link Merger}) and run as
 * one guest; the others run alone, from their own bytes. Each guest's imports left to the host are
 * canonical built-ins, lowered component imports, or WASI preview 1 (supplied by core).
 */
final class Placement {
    /** WASI preview 1, supplied by core under the policy. */
    static final Object PREVIEW1 = new Object();

    /** One guest: its core instances in instantiation order, its module, its host imports. */
    record Guest(List<Items.Instantiated> parts, byte[] module, Map<List<String>, Object> host) {
        boolean merged() {
            return parts.size() > 1;
        }
    }

    final List<Guest> guests = new ArrayList<>();
    private final dev.airlock.components.abi.Layout layout;
    private final Map<Integer, Integer> guestOf = new LinkedHashMap<>();
    private final Map<Integer, Integer> partOf = new LinkedHashMap<>();

    private Placement(dev.airlock.components.abi.Layout layout) {
        this.layout = layout;
    }

    static Placement of(Linker.Linked linked, Iterable<Items.Lifted> lifted)
            throws ComponentException {
        List<Items.Instantiated> cores = linked.coreInstances();
        int[] parent = new int[cores.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (Items.Instantiated in : cores) {
            for (CoreTypes.Import im : in.module.shape().imports()) {
                Items.CoreInstance from = in.args.get(im.module());
                Object item = from == null ? null : Linker.coreExport(from, im.name());
                if (item instanceof Items.CoreExport c) {
                    union(parent, in.id, c.instance().id);
                } else if (item instanceof Items.Lowered l) {
                    join(parent, in.id, l.opts());
                } else if (item instanceof Items.Builtin b
                        && b.resource().dtor() instanceof Items.CoreExport d) {
                    union(parent, in.id, d.instance().id);
                }
            }
        }
        for (Items.Lifted l : lifted) {
            join(parent, l.core().instance().id, l.opts());
        }
        Map<Integer, List<Items.Instantiated>> groups = new LinkedHashMap<>();
        for (Items.Instantiated in : cores) {
            groups.computeIfAbsent(find(parent, in.id), k -> new ArrayList<>()).add(in);
        }
        Placement p = new Placement(linked.layout());
        for (List<Items.Instantiated> group : groups.values()) {
            p.add(group);
        }
        return p;
    }

    private static void join(int[] parent, int id, Items.Opts o) {
        for (Items.CoreExport e :
                new Items.CoreExport[] {o.memory(), o.realloc(), o.postReturn()}) {
            if (e != null) {
                union(parent, id, e.instance().id);
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    private void add(List<Items.Instantiated> group) throws ComponentException {
        int g = guests.size();
        Map<List<String>, Object> host = new LinkedHashMap<>();
        if (group.size() == 1) {
            Items.Instantiated in = group.get(0);
            for (CoreTypes.Import im : in.module.shape().imports()) {
                host.put(List.of(im.module(), im.name()), hostItem(in, im));
            }
            guests.add(new Guest(group, in.module.bytes(), host));
            guestOf.put(in.id, g);
            partOf.put(in.id, 0);
            return;
        }
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (Items.Instantiated in : group) {
            index.put(in.id, index.size());
        }
        Map<Object, List<String>> names = new IdentityHashMap<>();
        List<Merger.Part> parts = new ArrayList<>();
        for (Items.Instantiated in : group) {
            Map<List<String>, Merger.Source> sources = new LinkedHashMap<>();
            for (CoreTypes.Import im : in.module.shape().imports()) {
                Items.CoreInstance from = in.args.get(im.module());
                Object item = from == null ? null : Linker.coreExport(from, im.name());
                Merger.Source s;
                if (item instanceof Items.CoreExport c) {
                    s = new Merger.Export(index.get(c.instance().id), c.name());
                } else {
                    Object h = hostItem(in, im);
                    List<String> name =
                            h == PREVIEW1
                                    ? List.of(im.module(), im.name())
                                    : names.computeIfAbsent(h, x -> unique(hostName(x), host));
                    host.put(name, h);
                    s = new Merger.Host(name.get(0), name.get(1));
                }
                sources.put(List.of(im.module(), im.name()), s);
            }
            parts.add(new Merger.Part(in.module.bytes(), (m, n) -> sources.get(List.of(m, n))));
        }
        byte[] merged;
        try {
            merged = Merger.merge(parts);
        } catch (Merger.LinkException e) {
            String m = e.getMessage();
            throw m.startsWith("unsupported: ")
                    ? ComponentException.unsupported(m.substring("unsupported: ".length()))
                    : ComponentException.invalid(m);
        }
        guests.add(new Guest(group, merged, host));
        for (Items.Instantiated in : group) {
            guestOf.put(in.id, g);
            partOf.put(in.id, index.get(in.id));
        }
    }

    /** What the host supplies for a core import: a built-in, a lowered import or preview 1. */
    private Object hostItem(Items.Instantiated in, CoreTypes.Import im) throws ComponentException {
        Items.CoreInstance from = in.args.get(im.module());
        if (from == null) {
            if (im.module().equals("wasi_snapshot_preview1")) {
                return PREVIEW1;
            }
            throw ComponentException.invalid(
                    "core module import " + im.module() + "." + im.name() + " not supplied");
        }
        Object item = Linker.coreExport(from, im.name());
        if (item instanceof Items.Builtin || item instanceof Items.Lowered) {
            CoreTypes.Signature want = CoreLinks.signature(item, layout);
            if (!want.equals(im.signature())) {
                throw ComponentException.invalid(
                        "core import "
                                + im.module()
                                + "."
                                + im.name()
                                + " has type "
                                + im.signature()
                                + ", not "
                                + want);
            }
            return item;
        }
        throw ComponentException.invalid(
                "core module import " + im.module() + "." + im.name() + " not supplied");
    }

    /** The merged module's import name of a built-in or lowered import. */
    private static List<String> hostName(Object item) {
        if (item instanceof Items.Lowered l && l.func() instanceof Items.ImportedFunc f) {
            int hash = f.path().indexOf('#');
            return hash < 0
                    ? List.of("$root", f.path())
                    : List.of(f.path().substring(0, hash), f.path().substring(hash + 1));
        }
        if (item instanceof Items.Builtin b) {
            return List.of("$canon", b.kind().name().toLowerCase().replace('_', '.'));
        }
        return List.of("$lowered", "func");
    }

    /** The name, or the name with a number added if another item has it. */
    private static List<String> unique(List<String> name, Map<List<String>, Object> taken) {
        List<String> n = name;
        for (int i = 2; taken.containsKey(n); i++) {
            n = List.of(name.get(0), name.get(1) + "#" + i);
        }
        return n;
    }

    /** The guest a core instance runs in. */
    int guest(Items.Instantiated in) {
        return guestOf.get(in.id);
    }

    /** The name under which a core instance's export is exported by its guest. */
    String export(Items.CoreExport e) {
        return guests.get(guest(e.instance())).merged()
                ? Merger.exportName(partOf.get(e.instance().id), e.name())
                : e.name();
    }
}
