package dev.airlock.nn;

/** Building blocks of guests that misuse the ABI: each exits with the error code it got. */
final class Misuse {
    private Misuse() {}

    /** Data: the name "m" at 64, the classifier's dims [1, 4] at 0x300, 16 bytes of input. */
    static final String DATA =
            """
            (data (i32.const 64) "m")
            (data (i32.const 0x300) "\\01\\00\\00\\00\\04\\00\\00\\00")
            """;

    /** Loads model m into 0x100 and makes a context at 0x104; exits 10+/20+ on failure. */
    static final String SETUP =
            """
            (call $ok (i32.const 1)
              (call $load_by_name (i32.const 64) (i32.const 1) (i32.const 0x100)))
            (call $ok (i32.const 2) (call $init (i32.load (i32.const 0x100)) (i32.const 0x104)))
            """;

    /** Writes a tensor record at 0x200. */
    static String tensor(long dimsPtr, long rank, long type, long dataPtr, long dataLen) {
        return String.format(
                """
                (i32.store (i32.const 0x200) (i32.const %d))
                (i32.store (i32.const 0x204) (i32.const %d))
                (i32.store (i32.const 0x208) (i32.const %d))
                (i32.store (i32.const 0x20c) (i32.const %d))
                (i32.store (i32.const 0x210) (i32.const %d))
                """,
                (int) dimsPtr, (int) rank, (int) type, (int) dataPtr, (int) dataLen);
    }

    /** The classifier's valid input record: [1, 4] f32 at 0x1000. */
    static final String GOOD_TENSOR = tensor(0x300, 2, 1, 0x1000, 16);

    static final String SET =
            "(call $set_input (i32.load (i32.const 0x104)) (i32.const 0) (i32.const 0x200))";

    static final String COMPUTE = "(call $compute (i32.load (i32.const 0x104)))";

    /** A guest that sets up, runs {@code statements}, then exits with {@code result}'s value. */
    static byte[] guest(String statements, String result) {
        return NnGuests.module(
                DATA
                        + "(func (export \"_start\")\n"
                        + SETUP
                        + statements
                        + "\n(call $exit "
                        + result
                        + "))");
    }

    /** A guest that exits with {@code result}'s value without any setup. */
    static byte[] bare(String result) {
        return NnGuests.module(DATA + "(func (export \"_start\") (call $exit " + result + "))");
    }
}
