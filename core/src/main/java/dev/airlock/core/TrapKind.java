package dev.airlock.core;

/** Kinds of WebAssembly trap. */
public enum TrapKind {
    UNREACHABLE("unreachable"),
    OUT_OF_BOUNDS_MEMORY("out-of-bounds-memory"),
    OUT_OF_BOUNDS_TABLE("out-of-bounds-table"),
    INTEGER_DIVIDE_BY_ZERO("integer-divide-by-zero"),
    INTEGER_OVERFLOW("integer-overflow"),
    INVALID_CONVERSION("invalid-conversion"),
    INDIRECT_CALL_TYPE_MISMATCH("indirect-call-type-mismatch"),
    UNINITIALIZED_ELEMENT("uninitialized-element"),
    NULL_REFERENCE("null-reference"),
    /** A host function failed in a way the guest caused, such as an unsupported call. */
    HOST("host"),
    OTHER("other");

    private final String id;

    TrapKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
