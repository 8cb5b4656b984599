package dev.airlock.core.vfs;

import dev.airlock.core.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies host folders into in-memory volumes without ever following a link; copying back is {@link
 * HostSync}'s.
 */
final class HostCopy {
    private HostCopy() {}

    /** Copies the regular files and directories under {@code host} into {@code root}. */
    static void copyIn(Path host, Path root) throws IOException {
        walk(
                host,
                dir -> Files.createDirectories(target(host, dir, root)),
                file -> copyBytes(file, target(host, file, root)));
    }

    /**
     * The folders and regular files under {@code host} as entries under the guest folder {@code
     * folder}, read into memory, folders with {@code null} content (what a shared volume is made
     * of).
     *
     * @throws IOException if the folder cannot be read
     */
    static List<Snapshot.Entry> read(Path host, String folder) throws IOException {
        List<Snapshot.Entry> out = new ArrayList<>();
        walk(
                host,
                dir -> {
                    if (!dir.equals(host)) {
                        out.add(new Snapshot.Entry(guest(host, dir, folder), null));
                    }
                },
                file -> {
                    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(new Snapshot.Entry(guest(host, file, folder), in.readAllBytes()));
                    }
                });
        return out;
    }

    private interface Visit {
        void at(Path p) throws IOException;
    }

    /**
     * Visits {@code host} and each folder under it, then each regular file, without following a
     * link: links and special files are skipped, so the guest never reaches the host through them.
     */
    private static void walk(Path host, Visit folder, Visit file) throws IOException {
        Files.walkFileTree(
                host,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a)
                            throws IOException {
                        folder.at(dir);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                            throws IOException {
                        if (a.isRegularFile()) {
                            file.at(f);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /** The guest path of host path {@code p} under {@code host}, seen at guest {@code folder}. */
    private static String guest(Path host, Path p, String folder) {
        StringBuilder s = new StringBuilder(folder);
        for (Path part : host.relativize(p)) {
            s.append('/').append(part);
        }
        return s.toString();
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
