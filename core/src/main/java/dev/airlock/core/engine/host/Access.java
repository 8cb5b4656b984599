package dev.airlock.core.engine.host;

import com.dylibso.chicory.runtime.Instance;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.Preview1;
import dev.airlock.core.engine.memory.ChicoryGuestMemory;

/**
 * What a linked host function may do with its instance: bounds-checked memory (the same {@link
 * ChicoryGuestMemory} host functions get), its exports and the tool bridge.
 */
public final class Access implements GuestAccess {
    private final Instance instance;
    private final ToolBridge tools;
    private final Preview1 preview1;

    public Access(Instance instance, ToolBridge tools) {
        this(instance, tools, null);
    }

    /** With WASI preview 1 over a scratch memory for linked host functions, or null for none. */
    public Access(Instance instance, ToolBridge tools, Preview1 preview1) {
        this.instance = instance;
        this.tools = tools;
        this.preview1 = preview1;
    }

    @Override
    public Preview1 preview1() {
        if (preview1 == null) {
            return GuestAccess.super.preview1();
        }
        return preview1;
    }

    private GuestMemory memory() {
        return ChicoryGuestMemory.of(instance);
    }

    @Override
    public long size() {
        return memory().size();
    }

    @Override
    public byte[] readBytes(long address, long length) {
        return memory().readBytes(address, length);
    }

    @Override
    public void writeBytes(long address, byte[] src, int offset, int length) {
        memory().writeBytes(address, src, offset, length);
    }

    @Override
    public int readInt(long address) {
        return memory().readInt(address);
    }

    @Override
    public void writeInt(long address, int value) {
        memory().writeInt(address, value);
    }

    @Override
    public long[] callExport(String name, long... args) {
        var fn = instance.export(name);
        if (fn == null) {
            throw new IllegalArgumentException("no exported function " + name);
        }
        long[] r = fn.apply(args);
        return r == null ? new long[0] : r;
    }

    @Override
    public String callTool(String name, String argumentsJson) {
        return tools.invoke(name, argumentsJson);
    }

    @Override
    public int maxToolRequestBytes() {
        return tools.maxRequestBytes();
    }
}
