package dev.airlock.core.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Copies host folders into in-memory volumes without ever following a link; copying back is {@link
 * HostSync}'s.
 */
final class HostCopy {
    private HostCopy() {}

    /** Copies the regular files and directories under {@code host} into {@code root}. */
    static void copyIn(Path host, Path root) throws IOException {
        Files.walkFileTree(
                host,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a)
                            throws IOException {
                        Files.createDirectories(target(host, dir, root));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes a)
                            throws IOException {
                        if (a.isRegularFile()) {
                            copyBytes(file, target(host, file, root));
                        }
                        // links and special files are skipped: the guest never reaches the host
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    static Path target(Path from, Path p, Path to) {
        Path rel = from.relativize(p);
        Path t = to;
        for (Path part : rel) {
            t = t.resolve(part.toString());
        }
        return t;
    }

    private static void copyBytes(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
                OutputStream out = Files.newOutputStream(to)) {
            in.transferTo(out);
        }
    }
}
