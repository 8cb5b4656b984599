package dev.airlock.core.mediation;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;

/**
 * The policy's rules for WASI preview 1 calls, in one place. Rule names are stable and appear in
 * denials and audit events:
 *
 * <ul>
 *   <li>{@code net.sockets}: every {@code sock_*} call fails, as on a host with no sockets: with
 *       {@code EBADF} for a descriptor that is not open, else {@code ENOTSOCK} (no descriptor is
 *       ever a socket);
 *   <li>{@code clock.deny}: {@code clock_*} fails with {@code ENOTCAPABLE} under {@link
 *       ClockMode#DENY};
 *   <li>{@code random.deny}: {@code random_get} fails with {@code ENOTCAPABLE} under {@link
 *       RandomMode.Kind#DENY};
 *   <li>{@code env.none}: {@code environ_*} succeeds with no variables when none are granted;
 *   <li>{@code process.signal}: {@code proc_raise} fails with {@code ENOTSUP};
 *   <li>{@code fs.read-only}: a call that would change a read-only mount fails with {@code EROFS}
 *       (decided by the binding, which knows which mount a descriptor belongs to, and follows links
 *       the way the call would); a hard link out of a read-only mount fails with {@code EXDEV};
 *   <li>{@code fs.mount-point}: in the interpreters' single filesystem, renaming or removing a
 *       mount's folder or a folder above one fails with {@code EBUSY}, as for a mount point on a
 *       host (a read-only mount's own folder is {@code fs.read-only} first);
 *   <li>{@code fs.outside-mount} and {@code fs.none}: a path that is absolute or climbs out of its
 *       mount, a path no mount holds (in the interpreters' single filesystem: one into a missing
 *       top-level folder, such as {@code /etc/passwd}), or any path call when nothing is mounted,
 *       fails with WASI's usual errno and is recorded as a denial.
 * </ul>
 *
 * The guest sees only the virtual filesystem, so no rule is needed to keep host files out.
 */
public final class Rules {
    /** WASI errno {@code ENOTCAPABLE}. */
    public static final int ENOTCAPABLE = 76;

    /** WASI errno {@code ENOTSUP}. */
    public static final int ENOTSUP = 58;

    /** WASI errno {@code EROFS}. */
    public static final int EROFS = 69;

    /** A path call when no filesystem is granted: it runs (and fails) but is recorded. */
    public static final Verdict NO_FILES =
            Verdict.deny("fs.none", Verdict.EMPTY_GRANT, "no filesystem is granted");

    /**
     * In the interpreters' single filesystem, a path into a top-level folder that does not exist
     * (such as {@code /etc/passwd}): no mount holds it. It runs (and fails with {@code ENOENT}) but
     * is recorded.
     */
    public static final Verdict NOT_MOUNTED =
            Verdict.deny("fs.outside-mount", Verdict.EMPTY_GRANT, "no mount holds the path");

    /** A path that is absolute or climbs out of its mount: it runs (and fails) but is recorded. */
    public static final Verdict OUTSIDE_MOUNT =
            Verdict.deny(
                    "fs.outside-mount",
                    Verdict.EMPTY_GRANT,
                    "the path leaves the mount it is resolved in");

    /** WASI errno {@code EXDEV}. */
    public static final int EXDEV = 75;

    /**
     * The verdict for a hard link whose source lies in a read-only mount and whose new name does
     * not: refused as a link between two mounts would be.
     */
    public static final Verdict LINK_OUT_OF_READ_ONLY =
            Verdict.deny("fs.read-only", EXDEV, "a hard link cannot leave a read-only mount");

    /** WASI errno {@code EBUSY}. */
    public static final int EBUSY = 10;

    /**
     * The verdict for renaming or removing, in a single filesystem, a mount's folder or a folder
     * above one: the mounts stay where the policy put them (their contents are copied back from
     * there, and their read-only rules hold there).
     */
    public static final Verdict MOUNT_POINT =
            Verdict.deny("fs.mount-point", EBUSY, "a mount's folder cannot be moved or removed");

    /** The verdict for a call that would change a read-only mount. */
    public static final Verdict READ_ONLY =
            Verdict.deny("fs.read-only", EROFS, "the mount is read-only");

    private final Policy policy;

    public Rules(Policy policy) {
        this.policy = policy;
    }

    /** The verdict for a WASI preview 1 function, by its bare name. */
    public Verdict wasi(String function) {
        if (function.startsWith("sock_")) {
            // runs against no sockets: the binding answers EBADF or ENOTSOCK
            return Verdict.deny("net.sockets", Verdict.EMPTY_GRANT, "sockets are not granted");
        }
        if (function.startsWith("clock_") && policy.clock() == ClockMode.DENY) {
            return Verdict.deny("clock.deny", ENOTCAPABLE, "the clock is denied");
        }
        if (function.equals("random_get") && policy.random().kind() == RandomMode.Kind.DENY) {
            return Verdict.deny("random.deny", ENOTCAPABLE, "randomness is denied");
        }
        if (function.startsWith("environ_") && policy.env().isEmpty()) {
            return Verdict.deny(
                    "env.none", Verdict.EMPTY_GRANT, "no environment variables are granted");
        }
        if (function.equals("proc_raise")) {
            return Verdict.deny("process.signal", ENOTSUP, "signals are not supported");
        }
        return Verdict.ALLOW;
    }
}
