package dev.airlock.components.abi;

import dev.airlock.components.types.WitType;

/**
 * What lifting and lowering need from one call: the callee's memory, its allocator, the string
 * encoding and the resource handles. Addresses are unsigned 32-bit values held in {@code long}.
 */
public interface AbiContext {
    /** How strings are encoded in guest memory. */
    enum StringEncoding {
        UTF8,
        UTF16,
        LATIN1_UTF16
    }

    StringEncoding encoding();

    /** The size of the memory in bytes. */
    long memorySize();

    /** Copies bytes out of memory (the range is within {@link #memorySize()}). */
    byte[] read(long address, int length);

    /** Copies bytes into memory (the range is within {@link #memorySize()}). */
    void write(long address, byte[] bytes);

    /** Calls the guest's realloc; returns the new address. */
    long realloc(long oldPtr, long oldSize, int align, long newSize);

    /** Gives the callee an owned handle the host holds; returns the callee's handle index. */
    int lowerOwn(WitType.Resource type, long hostHandle);

    /** Lends the callee a handle the host holds; returns what the callee receives. */
    int lowerBorrow(WitType.Resource type, long hostHandle);

    /** Takes an owned handle from the callee; returns the host's handle number. */
    long liftOwn(WitType.Resource type, int index);

    /**
     * A handle the callee lends (a borrowed parameter of a function it imports); returns what the
     * host passes on. By default a borrowed handle cannot be lifted: functions cannot return one.
     */
    default long liftBorrow(WitType.Resource type, int index) {
        throw new AbiTrap("a borrowed handle cannot be returned");
    }
}
