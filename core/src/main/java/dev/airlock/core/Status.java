package dev.airlock.core;

/** How a run ended: one closed set, mapped one to one by the CLI, HTTP and MCP layers. */
public enum Status {
    /** The guest finished with exit code 0 (or returned from its entry point). */
    OK("ok"),
    /** The guest exited by itself with a non-zero code. */
    EXIT("exit"),
    /** The guest trapped; {@link Outcome#kind()} names the {@link TrapKind}. */
    TRAP("trap"),
    /**
     * The sandbox stopped the guest at a limit; {@link Outcome#kind()} names the {@link LimitKind}.
     */
    LIMIT("limit"),
    /** The module was refused before any guest code ran. */
    REJECTED("rejected"),
    /** A fault in Airlock itself; reported, never swallowed. */
    ERROR("error");

    private final String id;

    Status(String id) {
        this.id = id;
    }

    /** The lower-case name used in reports and APIs. */
    public String id() {
        return id;
    }
}
