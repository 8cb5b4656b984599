package dev.airlock.components.wasi;

import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.types.WitType;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.Preview1;
import java.nio.charset.StandardCharsets;

/**
 * One call of a WASI 0.2 function lowered into a guest: the guest's memory and allocator (the
 * lowering's canonical options), its resource handles, the host's objects and WASI preview 1 over
 * scratch memory. Little-endian loads and stores at guest addresses, as the canonical ABI lays
 * values out.
 */
public final class Call {
    private final GuestAccess guest;
    private final String realloc;
    private final Handles handles;
    private final HostState state;
    private final WitType.Func type;

    /** The component's resource handles, as the host sees them. */
    public interface Handles {
        /** Adds an owned handle of a host resource; returns its index. */
        int own(WitType.Resource type, int rep);

        /** The representation behind a borrowed handle, which must be of that type. */
        int rep(int handle, WitType.Resource type);

        /** Removes an owned handle passed to the host; returns its representation. */
        int take(int handle, WitType.Resource type);
    }

    Call(GuestAccess guest, String realloc, Handles handles, HostState state, WitType.Func type) {
        this.guest = guest;
        this.realloc = realloc;
        this.handles = handles;
        this.state = state;
        this.type = type;
    }

    HostState state() {
        return state;
    }

    Preview1 p1() {
        return guest.preview1();
    }

    /** The scratch memory, at least {@code bytes} long. */
    GuestMemory scratch(long bytes) {
        return guest.preview1().scratch(bytes);
    }

    /** The host object behind the borrowed handle of parameter {@code param}. */
    <T> T self(long handle, int param, Class<T> kind) {
        WitType t = type.params().get(param).type();
        WitType.Resource r =
                t instanceof WitType.Borrow b
                        ? b.resource()
                        : t instanceof WitType.Own o ? o.resource() : null;
        if (r == null) {
            throw new AbiTrap("parameter " + param + " is not a resource");
        }
        Object o = state.object(handles.rep((int) handle, r));
        if (!kind.isInstance(o)) {
            throw new AbiTrap("handle " + handle + " is not a " + kind.getSimpleName());
        }
        return kind.cast(o);
    }

    /**
     * The host object behind an owned handle of parameter {@code param} (or of its option), which
     * passes to the host: the handle leaves the component's table and the object the host state.
     */
    <T> T take(long handle, int param, Class<T> kind) {
        WitType t = type.params().get(param).type();
        if (t instanceof WitType.Option o) {
            t = o.type();
        }
        if (!(t instanceof WitType.Own own)) {
            throw new AbiTrap("parameter " + param + " is not an owned resource");
        }
        Object o = state.object(handles.rep((int) handle, own.resource()));
        if (!kind.isInstance(o)) {
            throw new AbiTrap("handle " + handle + " is not a " + kind.getSimpleName());
        }
        state.drop(handles.take((int) handle, own.resource()));
        return kind.cast(o);
    }

    /**
     * Calls a host tool (such as the egress gate, {@code net:request}) through the mediation point.
     */
    String tool(String name, String arguments) {
        return guest.callTool(name, arguments);
    }

    /** The host object behind a borrowed handle in the list of parameter {@code param}. */
    <T> T element(long handle, int param, Class<T> kind) {
        WitType t = type.params().get(param).type();
        if (!(t instanceof WitType.ListOf l) || !(l.element() instanceof WitType.Borrow b)) {
            throw new AbiTrap("parameter " + param + " is not a list of borrowed handles");
        }
        Object o = state.object(handles.rep((int) handle, b.resource()));
        if (!kind.isInstance(o)) {
            throw new AbiTrap("handle " + handle + " is not a " + kind.getSimpleName());
        }
        return kind.cast(o);
    }

    /** A new owned handle, of the first owned resource in the result type, for a host object. */
    int own(Object object) {
        WitType.Resource r = firstOwn(type.result());
        if (r == null) {
            throw new AbiTrap("the result holds no resource");
        }
        return handles.own(r, state.add(object));
    }

    private static WitType.Resource firstOwn(WitType t) {
        if (t == null) {
            return null;
        }
        if (t instanceof WitType.Own o) {
            return o.resource();
        }
        if (t instanceof WitType.Result r) {
            WitType.Resource x = firstOwn(r.ok());
            return x != null ? x : firstOwn(r.error());
        }
        if (t instanceof WitType.Option o) {
            return firstOwn(o.type());
        }
        if (t instanceof WitType.Variant v) {
            for (WitType.Field f : v.cases()) {
                WitType.Resource x = firstOwn(f.type());
                if (x != null) {
                    return x;
                }
            }
        }
        if (t instanceof WitType.ListOf l) {
            return firstOwn(l.element());
        }
        if (t instanceof WitType.Tuple tu) {
            for (WitType e : tu.types()) {
                WitType.Resource x = firstOwn(e);
                if (x != null) {
                    return x;
                }
            }
        }
        return null;
    }

    /** Allocates guest memory through the lowering's realloc. */
    int alloc(long size, int align) {
        if (size == 0) {
            return align;
        }
        if (realloc == null) {
            throw new AbiTrap("a WASI function that returns a list was lowered without realloc");
        }
        long[] r = guest.callExport(realloc, 0, 0, align, size);
        long ptr = r[0] & 0xFFFF_FFFFL;
        if (ptr % align != 0 || ptr + size > guest.size()) {
            throw new AbiTrap("realloc returned 0x" + Long.toHexString(ptr) + ", out of bounds");
        }
        return (int) ptr;
    }

    /** Copies bytes into freshly allocated guest memory; returns the address. */
    int bytes(byte[] b) {
        int p = alloc(b.length, 1);
        if (b.length > 0) {
            guest.writeBytes(p, b);
        }
        return p;
    }

    byte[] read(long ptr, long len) {
        return guest.readBytes(ptr & 0xFFFF_FFFFL, len & 0xFFFF_FFFFL);
    }

    String string(long ptr, long len) {
        return new String(read(ptr, len), StandardCharsets.UTF_8);
    }

    void u8(long at, int v) {
        guest.writeBytes(at & 0xFFFF_FFFFL, new byte[] {(byte) v});
    }

    void u32(long at, long v) {
        guest.writeInt(at & 0xFFFF_FFFFL, (int) v);
    }

    void u64(long at, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        guest.writeBytes(at & 0xFFFF_FFFFL, b);
    }

    /** Writes a string as (pointer, length) at {@code at}. */
    void string(long at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(at, bytes(b));
        u32(at + 4, b.length);
    }
}
