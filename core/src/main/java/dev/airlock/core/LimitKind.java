package dev.airlock.core;

/** Kinds of limit that stop a run. */
public enum LimitKind {
    /** Wall time, host calls included ({@link Limits#timeout()}). */
    TIME("time"),
    /** The guest trapped while its memory was at the cap ({@link Limits#memoryBytes()}). */
    MEMORY("memory"),
    /** Call depth exhausted the guest thread's stack ({@link Limits#stackBytes()}). */
    STACK("stack"),
    /** stdout and stderr together exceeded {@link Limits#maxOutputBytes()}. */
    OUTPUT("output"),
    /** The virtual filesystem exceeded its byte or file quota. */
    FS_QUOTA("fs-quota"),
    /** The guest used up its fuel budget ({@link Limits#fuel()}). */
    FUEL("fuel"),
    /** A long-lived instance's call was stopped on request ({@link GuestInstance#interrupt()}). */
    INTERRUPTED("interrupted");

    private final String id;

    LimitKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
