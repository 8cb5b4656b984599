package dev.airlock.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host folder copied into the guest's in-memory filesystem at {@code guestPath}. The guest never
 * touches the host folder: its content is copied in before the run (symbolic links and special
 * files are skipped), and for {@link Mode#READ_WRITE} the guest's changes are copied back only
 * after a run that ended by itself ({@link Status#OK} or {@link Status#EXIT}). Copying back changes
 * only what the guest changed: changed files are written to a new file given the old one's mode
 * (and owner and group where the host allows) and renamed over it, removed entries are removed, new
 * ones made; unchanged files keep their inode and times, special files are never touched, and
 * nothing is written through a link.
 *
 * @param host the host folder; must exist and be a directory when the run starts
 * @param guestPath an absolute guest path such as {@code /data} or {@code /}
 * @param mode whether guest changes are kept
 */
public record Mount(Path host, String guestPath, Mode mode) {
    /** Access mode of a mount. */
    public enum Mode {
        /** The guest can read; writes fail with {@code EROFS}. */
        READ_ONLY,
        /** The guest can read and write; changes are copied back after the run. */
        READ_WRITE
    }

    public Mount {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(guestPath, "guestPath");
        Objects.requireNonNull(mode, "mode");
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("guest path must be absolute: " + guestPath);
        }
        for (String part : guestPath.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException(
                        "guest path must not contain . or ..: " + guestPath);
            }
        }
        if (guestPath.length() > 1 && guestPath.endsWith("/")) {
            guestPath = guestPath.substring(0, guestPath.length() - 1);
        }
    }

    /**
     * Parses the CLI form {@code HOST:GUEST[:ro|:rw]} (default {@code ro}).
     *
     * @throws IllegalArgumentException on a malformed spec, naming what is wrong: a mode other than
     *     {@code ro} or {@code rw}, a missing part, or a guest path that is not absolute
     */
    public static Mount parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        Mode mode = Mode.READ_ONLY;
        String rest = spec;
        if (rest.endsWith(":ro")) {
            rest = rest.substring(0, rest.length() - 3);
        } else if (rest.endsWith(":rw")) {
            mode = Mode.READ_WRITE;
            rest = rest.substring(0, rest.length() - 3);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > 0
                && colon < rest.length() - 1
                && rest.lastIndexOf(':', colon - 1) > 0
                && !rest.substring(colon + 1).startsWith("/")) {
            // HOST:GUEST:MODE with a mode other than ro or rw (a guest path starts with /)
            throw new IllegalArgumentException(
                    "invalid mount mode '"
                            + rest.substring(colon + 1)
                            + "' in '"
                            + spec
                            + "' (use ro or rw: HOST:GUEST[:ro|:rw])");
        }
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException(
                    "invalid mount '" + spec + "' (expected HOST:GUEST[:ro|:rw])");
        }
        return new Mount(Path.of(rest.substring(0, colon)), rest.substring(colon + 1), mode);
    }
}
