package dev.airlock.nn;

import dev.airlock.core.GuestMemory;
import dev.airlock.core.GuestMemoryException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code tensor} as the guest passes it to {@code set_input}: a 20-byte record of {@code
 * dimensions} (pointer, count of u32), {@code type} (a u8 tag, padded to 4 bytes) and {@code data}
 * (pointer, length), read without trusting any of it.
 *
 * @param dims the dimensions, each an unsigned 32-bit value
 * @param typeCode the raw type tag
 * @param type the type, or {@code null} if the tag is unknown
 * @param dataPtr where the data starts
 * @param dataLen the data's length as given
 * @param bytes the size the dimensions and type call for ({@link Long#MAX_VALUE} on overflow; 0 if
 *     the type is unknown)
 */
record TensorArg(
        long[] dims, int typeCode, TensorType type, long dataPtr, long dataLen, long bytes) {
    /** The ONNX Runtime Java API's limit, which the ABI inherits. */
    static final int MAX_RANK = 8;

    static final int SIZE = 20;

    /** Thrown for a tensor record that cannot be read. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads the record at {@code ptr}.
     *
     * @throws Invalid if it, or its dimensions, lie outside memory, or its rank exceeds {@link
     *     #MAX_RANK}
     */
    static TensorArg read(GuestMemory m, long ptr) throws Invalid {
        try {
            byte[] rec = m.readBytes(ptr, SIZE);
            long dimsPtr = u32(rec, 0);
            long rank = u32(rec, 4);
            int typeCode = rec[8] & 0xFF;
            long dataPtr = u32(rec, 12);
            long dataLen = u32(rec, 16);
            if (rank > MAX_RANK) {
                throw new Invalid("rank " + rank + " exceeds " + MAX_RANK);
            }
            byte[] d = m.readBytes(dimsPtr, rank * 4);
            long[] dims = new long[(int) rank];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = u32(d, i * 4);
            }
            TensorType type = TensorType.of(typeCode);
            long bytes = type == null ? 0 : size(dims, type.bytes());
            return new TensorArg(dims, typeCode, type, dataPtr, dataLen, bytes);
        } catch (GuestMemoryException e) {
            throw new Invalid("tensor outside memory: " + e.getMessage());
        }
    }

    /** {@code elementBytes} times the product of {@code dims}, or {@link Long#MAX_VALUE}. */
    static long size(long[] dims, long elementBytes) {
        for (long d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        long n = elementBytes;
        for (long d : dims) {
            if (n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    static List<Long> shape(long[] dims) {
        List<Long> out = new ArrayList<>(dims.length);
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL)
                | (b[at + 1] & 0xFFL) << 8
                | (b[at + 2] & 0xFFL) << 16
                | (b[at + 3] & 0xFFL) << 24;
    }
}
