package dev.airlock.core.engine.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian views of a byte array, as WebAssembly's loads and stores read and write it: the
 * flat path of {@link CowMemory}, and the same path put in place of Chicory's helper calls in
 * compiled guest code (public for that code, which another class loader defines). Each view checks
 * the array's bounds itself; the views give no access to anything but the array passed.
 */
public final class FlatViews {
    public static final VarHandle SHORT = view(short[].class);
    public static final VarHandle INT = view(int[].class);
    public static final VarHandle LONG = view(long[].class);

    private FlatViews() {}

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.LITTLE_ENDIAN);
    }
}
