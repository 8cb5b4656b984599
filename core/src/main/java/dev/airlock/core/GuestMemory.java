package dev.airlock.core;

/**
 * The calling guest's linear memory, as a {@link HostImport.GuestHandler} sees it during one call.
 * Addresses and lengths are unsigned 32-bit guest values widened to {@code long} (pass {@code
 * args[i] & 0xFFFFFFFFL}); every access is bounds-checked against the memory's current size and a
 * range that does not fit throws {@link GuestMemoryException} before anything is copied. A module
 * without a memory has a memory of size 0, so every access to it throws.
 *
 * <p>Valid only during the call it was handed to, on the guest's thread.
 */
public interface GuestMemory {
    /** The current size in bytes (a multiple of 64 KiB; 0 when the module has no memory). */
    long size();

    /**
     * Copies {@code length} bytes starting at {@code address} into a new array.
     *
     * @throws GuestMemoryException if the range is negative or does not lie within the memory
     */
    byte[] readBytes(long address, long length);

    /**
     * Copies {@code length} bytes from {@code src[offset..]} to {@code address}.
     *
     * @throws GuestMemoryException if the range does not lie within the memory
     * @throws IndexOutOfBoundsException if {@code offset}/{@code length} do not fit {@code src}
     */
    void writeBytes(long address, byte[] src, int offset, int length);

    /** Copies all of {@code src} to {@code address}. */
    default void writeBytes(long address, byte[] src) {
        writeBytes(address, src, 0, src.length);
    }

    /**
     * Reads a little-endian 32-bit integer.
     *
     * @throws GuestMemoryException if the 4 bytes do not lie within the memory
     */
    int readInt(long address);

    /**
     * Writes a little-endian 32-bit integer.
     *
     * @throws GuestMemoryException if the 4 bytes do not lie within the memory
     */
    void writeInt(long address, int value);

    /** Reads one byte. */
    default int readByte(long address) {
        return readBytes(address, 1)[0] & 0xFF;
    }

    /** Whether {@code [address, address + length)} lies within the memory. */
    default boolean contains(long address, long length) {
        return address >= 0 && length >= 0 && address <= size() - length;
    }
}
