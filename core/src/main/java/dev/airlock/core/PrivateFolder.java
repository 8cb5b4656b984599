package dev.airlock.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The trust rule of Airlock's caches, whose files the JVM loads as code (compiled modules, a native
 * library) or as a guest's starting state (interpreter images): a folder or file is trusted only if
 * the current user owns it, it is not a symbolic link, and neither its group nor others may write
 * it. Where the filesystem has no POSIX permissions, ownership alone decides.
 */
public final class PrivateFolder {
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivateFolder() {}

    /**
     * Creates {@code dir} (and its parents) if missing, owner-only, and tells whether it may be
     * trusted; never throws.
     */
    public static boolean prepare(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(
                            dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX filesystem
                }
            }
            return trusted(dir);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code p} (a folder or a regular file, not followed if a link) is owned by the
     * current user and writable by nobody else; false if it is missing or unreadable.
     */
    public static boolean trusted(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                return false;
            }
            UserPrincipal owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal me =
                    p.getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(me)) {
                return false;
            }
            try {
                return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).stream()
                        .noneMatch(OTHERS_WRITE::contains);
            } catch (UnsupportedOperationException e) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code file} is a regular file in a trusted {@code dir} and trusted itself. */
    public static boolean trustedFile(Path dir, Path file) {
        return trusted(dir)
                && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                && trusted(file);
    }
}
