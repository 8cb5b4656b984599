package dev.airlock.components;

import dev.airlock.components.wasi.HostState;
import dev.airlock.core.Snapshot;
import java.util.List;

/**
 * The state of a {@link ComponentInstance} at one moment: a {@link Snapshot} of each of its guests
 * (memory, globals, tables, files) and its resource handles and WASI 0.2 host objects, in memory.
 * {@link ComponentInstance#restore} makes an independent instance from it, any number of times.
 * Immutable.
 */
public final class ComponentSnapshot {
    private final String componentSha256;
    private final List<Snapshot> guests;
    private final Handles handles;
    private final HostState wasi;

    ComponentSnapshot(
            String componentSha256, List<Snapshot> guests, Handles handles, HostState wasi) {
        this.componentSha256 = componentSha256;
        this.guests = List.copyOf(guests);
        this.handles = handles;
        this.wasi = wasi;
    }

    /** The SHA-256 of the component it was taken from. */
    public String componentSha256() {
        return componentSha256;
    }

    /** The guests' snapshots, in the component's order. */
    public List<Snapshot> guests() {
        return guests;
    }

    Handles handles() {
        return handles.copy();
    }

    HostState wasi() {
        return wasi.copy();
    }
}
