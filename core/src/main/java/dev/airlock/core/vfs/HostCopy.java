package dev.airlock.core.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/** Copies between host folders and in-memory volumes without ever following a link. */
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

    /**
     * Replaces {@code host} with a fresh copy of {@code root}: written to a staging folder beside
     * it, then swapped in by two renames. Links made by the guest are not copied; the host's own
     * links, skipped on the way in, are restored where nothing took their place.
     */
    static void copyBack(Path root, Path host) throws IOException {
        if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("mount target is no longer a plain directory: " + host);
        }
        Path parent = host.toAbsolutePath().getParent();
        String name = host.getFileName().toString();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path staging = parent.resolve("." + name + ".airlock-new-" + tag);
        Path old = parent.resolve("." + name + ".airlock-old-" + tag);
        Files.createDirectory(staging);
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a)
                                throws IOException {
                            Files.createDirectories(target(root, dir, staging));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes a)
                                throws IOException {
                            if (a.isRegularFile()) {
                                copyBytes(file, target(root, file, staging));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
            restoreHostLinks(host, staging);
            Files.move(host, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, host, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        deleteTree(old);
    }

    private static void restoreHostLinks(Path host, Path staging) throws IOException {
        Files.walkFileTree(
                host,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes a)
                            throws IOException {
                        if (a.isSymbolicLink()) {
                            Path t = staging.resolve(host.relativize(file).toString());
                            if (Files.isDirectory(t.getParent(), LinkOption.NOFOLLOW_LINKS)
                                    && !Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                                Files.createSymbolicLink(t, Files.readSymbolicLink(file));
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /** Deletes a host tree without following links. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(
                dir,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes a)
                            throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e)
                            throws IOException {
                        Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static Path target(Path from, Path p, Path to) {
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
