package dev.airlock.components;

import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.types.WitType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource handles of one component instance: the component's own table (indices it gets from
 * {@code resource.new} or from owned handles passed in) and the host's handles (numbers the caller
 * holds, from owned handles the component returned).
 */
final class Handles implements dev.airlock.components.wasi.Call.Handles {
    /** A resource: its type and representation. */
    record Entry(WitType.Resource type, int rep) {}

    /** The most handles one table holds. */
    static final int MAX = 1 << 20;

    private final List<Entry> table = new ArrayList<>();
    private final List<Integer> free = new ArrayList<>();
    private final Map<Long, Entry> host = new HashMap<>();
    private long nextHost = 1;

    Handles() {
        table.add(null);
    }

    /** An independent copy (entries are immutable). */
    Handles copy() {
        Handles h = new Handles();
        h.table.clear();
        h.table.addAll(table);
        h.free.addAll(free);
        h.host.putAll(host);
        h.nextHost = nextHost;
        return h;
    }

    @Override
    public int own(WitType.Resource type, int rep) {
        return add(new Entry(type, rep));
    }

    @Override
    public int rep(int handle, WitType.Resource type) {
        return get(handle, type).rep();
    }

    @Override
    public int take(int handle, WitType.Resource type) {
        return remove(handle, type).rep();
    }

    int add(Entry e) {
        if (!free.isEmpty()) {
            int i = free.remove(free.size() - 1);
            table.set(i, e);
            return i;
        }
        if (table.size() >= MAX) {
            throw new AbiTrap("too many resource handles (" + MAX + ")");
        }
        table.add(e);
        return table.size() - 1;
    }

    Entry get(int index, WitType.Resource type) {
        Entry e = index > 0 && index < table.size() ? table.get(index) : null;
        if (e == null || e.type() != type) {
            throw new AbiTrap("unknown resource handle " + (index & 0xFFFF_FFFFL));
        }
        return e;
    }

    Entry remove(int index, WitType.Resource type) {
        Entry e = get(index, type);
        table.set(index, null);
        free.add(index);
        return e;
    }

    long toHost(Entry e) {
        if (host.size() >= MAX) {
            throw new AbiTrap("too many resource handles held by the host (" + MAX + ")");
        }
        long h = nextHost++;
        host.put(h, e);
        return h;
    }

    Entry host(long handle) {
        return host.get(handle);
    }

    Entry takeHost(long handle) {
        return host.remove(handle);
    }
}
