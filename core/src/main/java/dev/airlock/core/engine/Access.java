package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.GuestMemoryException;

/** Bounds-checked access to an instance for linked host functions. */
final class Access implements GuestAccess {
    private final Instance instance;
    private final ToolBridge tools;

    Access(Instance instance, ToolBridge tools) {
        this.instance = instance;
        this.tools = tools;
    }

    static void check(Memory m, int address, long length) {
        long size = (long) m.pages() * dev.airlock.core.Limits.PAGE;
        if (address < 0 || length < 0 || (address & 0xFFFFFFFFL) + length > size) {
            throw new GuestMemoryException(address & 0xFFFFFFFFL, length, size);
        }
    }

    static byte[] read(Memory m, int address, int length) {
        check(m, address, length);
        return m.readBytes(address, length);
    }

    static void write(Memory m, int address, byte[] bytes) {
        check(m, address, bytes.length);
        m.write(address, bytes);
    }

    @Override
    public byte[] read(int address, int length) {
        return read(instance.memory(), address, length);
    }

    @Override
    public void write(int address, byte[] bytes) {
        write(instance.memory(), address, bytes);
    }

    @Override
    public int readInt(int address) {
        check(instance.memory(), address, 4);
        return instance.memory().readInt(address);
    }

    @Override
    public void writeInt(int address, int value) {
        check(instance.memory(), address, 4);
        instance.memory().writeI32(address, value);
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
}
