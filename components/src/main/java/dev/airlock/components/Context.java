package dev.airlock.components;

import dev.airlock.components.abi.AbiContext;
import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.types.WitType;
import dev.airlock.core.GuestAccess;

/**
 * The {@link AbiContext} of one call: the callee's memory and realloc through {@link GuestAccess}.
 */
final class Context implements AbiContext {
    private final GuestAccess guest;
    private final Items.Opts opts;
    private final Handles handles;
    private final java.util.function.Function<Items.CoreExport, String> exports;

    Context(
            GuestAccess guest,
            Items.Opts opts,
            Handles handles,
            java.util.function.Function<Items.CoreExport, String> exports) {
        this.guest = guest;
        this.opts = opts;
        this.handles = handles;
        this.exports = exports;
    }

    @Override
    public StringEncoding encoding() {
        return switch (opts.encoding()) {
            case UTF8 -> StringEncoding.UTF8;
            case UTF16 -> StringEncoding.UTF16;
            case LATIN1_UTF16 -> StringEncoding.LATIN1_UTF16;
        };
    }

    @Override
    public long memorySize() {
        return guest.size();
    }

    @Override
    public byte[] read(long address, int length) {
        return guest.readBytes(address, length);
    }

    @Override
    public void write(long address, byte[] bytes) {
        guest.writeBytes(address, bytes);
    }

    @Override
    public long realloc(long oldPtr, long oldSize, int align, long newSize) {
        if (opts.realloc() == null) {
            throw new AbiTrap("the function has no realloc");
        }
        long[] r = guest.callExport(exports.apply(opts.realloc()), oldPtr, oldSize, align, newSize);
        long ptr = r[0] & 0xFFFF_FFFFL;
        if (ptr % align != 0) {
            throw new AbiTrap("realloc returned 0x" + Long.toHexString(ptr) + ", not aligned");
        }
        if (ptr + newSize > guest.size()) {
            throw new AbiTrap("realloc returned 0x" + Long.toHexString(ptr) + ", out of bounds");
        }
        return ptr;
    }

    @Override
    public int lowerOwn(WitType.Resource type, long hostHandle) {
        Handles.Entry e = handles.takeHost(hostHandle);
        if (e == null || e.type() != type) {
            throw new AbiTrap("no handle " + hostHandle);
        }
        return handles.add(e);
    }

    @Override
    public int lowerBorrow(WitType.Resource type, long hostHandle) {
        Handles.Entry e = handles.host(hostHandle);
        if (e == null || e.type() != type) {
            throw new AbiTrap("no handle " + hostHandle);
        }
        return e.rep();
    }

    @Override
    public long liftOwn(WitType.Resource type, int index) {
        return handles.toHost(handles.remove(index, type));
    }
}
