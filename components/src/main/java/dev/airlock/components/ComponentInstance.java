package dev.airlock.components;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.abi.Layout;
import dev.airlock.components.types.WitType;
import dev.airlock.components.wasi.HostState;
import dev.airlock.core.Airlock;
import dev.airlock.core.CallResult;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A running component: its core modules instantiated on Airlock's engine (validated, compiled and
 * cached like any module, under the {@link Policy}'s limits; every host call passes the mediation
 * point), and its exported functions callable with JSON arguments through the canonical ABI. Each
 * call is one run of the core instance with its own {@link Outcome}. Not thread-safe.
 *
 * <p>After a call that did not end {@code ok} the instance is no longer usable (the component may
 * be half-updated), as with {@link GuestInstance}.
 */
public final class ComponentInstance implements AutoCloseable {
    /** The most JSON values one call may return. */
    public static final long MAX_RESULT_VALUES = 1 << 20;

    /** The most bytes of strings one call may return. */
    public static final long MAX_RESULT_STRING_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Component component;
    private final Placement placement;
    private final List<GuestInstance> guests;
    private Handles handles = new Handles();
    private HostState wasi = new HostState();
    private final Map<String, Supplier> supplied;
    private Stdio stdio = Stdio.discard();

    /** An interface this instance imports, supplied by another component's instance. */
    record Supplier(String name, ComponentInstance instance) {}

    private boolean usable = true;
    private boolean closed;

    private ComponentInstance(
            Component component,
            Placement placement,
            List<GuestInstance> guests,
            Map<String, Supplier> supplied) {
        this.supplied = supplied;
        this.component = component;
        this.placement = placement;
        this.guests = guests;
    }

    /**
     * Instantiates every core module of the component in order (their start functions run here).
     *
     * <p>A policy's fuel budget is given afresh to each call (each guest metered on its own), so a
     * call's fuel use is the same on every machine; a spent budget ends the call as a {@code fuel}
     * limit.
     *
     * @throws ComponentException if the component imports what is not supplied or not granted (see
     *     {@link Component#refusal}), or links its core modules in a way not supported
     * @throws ModuleRejectedException if a core module is invalid or cannot run under the policy
     */
    public static ComponentInstance create(Airlock airlock, Component component, Policy policy)
            throws ComponentException, ModuleRejectedException {
        return create(airlock, component, policy, EventSink.none());
    }

    /**
     * As {@link #create(Airlock, Component, Policy)}, with every host call and lifecycle step of
     * the component's guests sent to {@code events} (for an audit trail).
     */
    public static ComponentInstance create(
            Airlock airlock, Component component, Policy policy, EventSink events)
            throws ComponentException, ModuleRejectedException {
        return create(airlock, component, policy, events, Map.of());
    }

    /** As above, with the imported interfaces other components supply. */
    static ComponentInstance create(
            Airlock airlock,
            Component component,
            Policy policy,
            EventSink events,
            Map<String, Supplier> supplied)
            throws ComponentException, ModuleRejectedException {
        return make(airlock, component, policy, events, supplied, null);
    }

    /**
     * A new instance from a snapshot: each guest restored (no start function runs), with the
     * resource handles and WASI 0.2 objects it held. Restoring one snapshot several times forks
     * independent instances.
     *
     * @throws ComponentException ({@code bad-call}) if the snapshot was taken from another
     *     component, or as {@link #create(Airlock, Component, Policy)}
     * @throws ModuleRejectedException if a guest's snapshot does not fit the policy
     */
    public static ComponentInstance restore(
            Airlock airlock,
            Component component,
            ComponentSnapshot snapshot,
            Policy policy,
            EventSink events)
            throws ComponentException, ModuleRejectedException {
        Objects.requireNonNull(snapshot, "snapshot");
        return make(airlock, component, policy, events, Map.of(), snapshot);
    }

    private static ComponentInstance make(
            Airlock airlock,
            Component component,
            Policy policy,
            EventSink events,
            Map<String, Supplier> supplied,
            ComponentSnapshot from)
            throws ComponentException, ModuleRejectedException {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(airlock, "airlock");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(policy, "policy");
        String reason = component.refusal(policy, supplied.keySet());
        if (reason != null) {
            throw new ComponentException(ComponentException.Kind.UNKNOWN_IMPORT, reason);
        }
        Placement placement = component.placement();
        List<GuestInstance> guests = new ArrayList<>();
        ComponentInstance ci = new ComponentInstance(component, placement, guests, supplied);
        try {
            if (from != null) {
                if (!from.componentSha256().equals(component.sha256())
                        || from.guests().size() != placement.guests.size()) {
                    throw new ComponentException(
                            ComponentException.Kind.BAD_CALL,
                            "the snapshot was taken from another component");
                }
                // before the guests' imports capture them
                ci.handles = from.handles();
                ci.wasi = from.wasi();
            }
            // every guest's imports are resolved before any of them starts
            List<dev.airlock.core.InstanceSetup> setups = new ArrayList<>();
            for (Placement.Guest g : placement.guests) {
                setups.add(CoreLinks.setup(ci, g, events));
            }
            for (int i = 0; i < setups.size(); i++) {
                GuestModule module = airlock.load(placement.guests.get(i).module());
                guests.add(
                        from == null
                                ? airlock.instantiate(module, policy, setups.get(i))
                                : airlock.restore(
                                        from.guests().get(i), module, policy, setups.get(i)));
            }
        } catch (ComponentException | ModuleRejectedException | RuntimeException e) {
            ci.close();
            throw e;
        }
        return ci;
    }

    /** The component this instance runs. */
    public Component component() {
        return component;
    }

    /**
     * Calls an exported function with a JSON array of arguments ({@code "[1, \"two\"]"}).
     *
     * @throws ComponentException ({@code bad-call}) if there is no such function or the arguments
     *     do not fit its parameters; nothing runs then
     * @throws IllegalStateException if the instance is closed or not usable
     */
    public ComponentResult call(String function, String argsJson, Stdio stdio)
            throws ComponentException {
        JsonNode args;
        try {
            args = JSON.readTree(argsJson);
        } catch (JsonProcessingException e) {
            throw new ComponentException(
                    ComponentException.Kind.BAD_CALL,
                    "arguments are not valid JSON: " + e.getOriginalMessage());
        }
        return call(function, args, stdio);
    }

    /** As {@link #call(String, String, Stdio)}, with the arguments as a JSON array. */
    public ComponentResult call(String function, JsonNode args, Stdio stdio)
            throws ComponentException {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(stdio, "stdio");
        checkUsable();
        Items.Lifted f = ExportCall.checked(component, handles, function, args);
        Stdio before = this.stdio;
        this.stdio = stdio;
        try {
            return run(f, (ArrayNode) args, stdio);
        } finally {
            this.stdio = before;
        }
    }

    private ComponentResult run(Items.Lifted f, ArrayNode args, Stdio stdio) {
        GuestInstance gi = guests.get(placement.guest(f.core().instance()));
        Layout layout = component.linked().layout();
        JsonNode[] value = new JsonNode[1];
        String[] trap = new String[1];
        CallResult r =
                gi.call(
                        stdio,
                        guest -> {
                            try {
                                value[0] =
                                        ExportCall.invoke(
                                                guest, f, args, layout, handles, placement);
                            } catch (AbiTrap t) {
                                trap[0] = t.getMessage();
                            }
                            return new long[0];
                        });
        Outcome o = ExportCall.withTrap(r.outcome(), trap[0]);
        if (o.status() != Status.OK) {
            usable = false;
            return new ComponentResult(o, null, false);
        }
        boolean error = f.type().result() instanceof WitType.Result && value[0].has("error");
        return new ComponentResult(o, value[0], error);
    }

    /**
     * Drops a resource handle the host holds (one an export returned as {@code own}); the
     * component's destructor, if any, runs (as one call).
     *
     * @return the destructor call's outcome, or {@code null} when the resource type has none
     * @throws ComponentException ({@code bad-call}) if there is no such handle
     */
    public Outcome drop(long handle, Stdio stdio) throws ComponentException {
        checkUsable();
        Handles.Entry e = handles.takeHost(handle);
        if (e == null) {
            throw new ComponentException(ComponentException.Kind.BAD_CALL, "no handle " + handle);
        }
        if (!(e.type().dtor() instanceof Items.CoreExport dtor)) {
            return null;
        }
        CallResult r =
                guests.get(placement.guest(dtor.instance()))
                        .call(
                                stdio,
                                guest -> {
                                    guest.callExport(placement.export(dtor), e.rep());
                                    return new long[0];
                                });
        if (!r.outcome().isOk()) {
            usable = false;
        }
        return r.outcome();
    }

    Handles handles() {
        return handles;
    }

    Placement placement() {
        return placement;
    }

    HostState wasi() {
        return wasi;
    }

    /** The standard streams of the call in progress (for the calls it makes into others). */
    Stdio stdio() {
        return stdio;
    }

    /** The component instance that supplies an imported interface, or null. */
    Supplier supplier(String iface) {
        return supplied.get(iface);
    }

    /**
     * Runs a component that exports {@code wasi:cli/run} (any 0.2.x) as a command: its {@code run}
     * function's {@code ok} ends the run {@code ok}, its {@code error} as exit code 1.
     *
     * @throws ComponentException ({@code bad-call}) if the component exports no {@code run}
     */
    public Outcome runCommand(Stdio stdio) throws ComponentException {
        String run = component.commandFunction();
        if (run == null) {
            throw new ComponentException(
                    ComponentException.Kind.BAD_CALL,
                    "the component exports no wasi:cli/run (call its functions with airlock call)");
        }
        return call(run, "[]", stdio).asCommand();
    }

    /**
     * Captures the instance's state between calls.
     *
     * @throws IllegalStateException if the instance is closed or not usable, or holds what a
     *     snapshot cannot keep (a file opened since it started, an HTTP request or response,
     *     another component's resource)
     */
    public ComponentSnapshot snapshot() {
        checkUsable();
        HostState w = wasi.copy();
        List<dev.airlock.core.Snapshot> snaps = new ArrayList<>();
        for (GuestInstance g : guests) {
            snaps.add(g.snapshot());
        }
        return new ComponentSnapshot(component.sha256(), snaps, handles.copy(), w);
    }

    /** Whether the instance can take another call. */
    public boolean isUsable() {
        return usable && !closed;
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("instance closed");
        }
        if (!usable) {
            throw new IllegalStateException("instance not usable after an unfinished call");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (GuestInstance g : guests) {
            g.close();
        }
    }
}
