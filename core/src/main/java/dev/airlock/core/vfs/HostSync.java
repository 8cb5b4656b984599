package dev.airlock.core.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Copies a read-write mount back to its host folder, changing only what the guest changed since the
 * last copy: files whose content differs are written (each to a new file beside it, given the old
 * one's mode and, where the host allows, its owner and group, then renamed over it), files and
 * folders the guest removed are removed, new ones are made. Everything else stays as it is, inode,
 * mode, owner and times included. Links and special files of the host are never followed or written
 * through; special files are never touched, and a host link is replaced only where the guest made
 * something of the same name. A host folder that still holds entries the guest could not see is
 * kept.
 */
final class HostSync {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private HostSync() {}

    /**
     * Brings {@code host} up to date with the in-memory {@code root}.
     *
     * @param was what the two held alike after the copy-in (or the last copy-back)
     * @param skip relative paths of other mounts nested in this one, left alone
     * @return what the two hold alike now, for the next copy-back
     * @throws IOException if the host folder is gone or a change cannot be written; the changes
     *     made until then stay
     */
    static Manifest copyBack(Path root, Path host, Manifest was, Set<String> skip)
            throws IOException {
        if (!Files.isDirectory(host, NOFOLLOW)) {
            throw new IOException("mount target is no longer a plain directory: " + host);
        }
        Manifest now = Manifest.of(root, skip);
        removeWhatWasRemoved(host, was, now);
        writeWhatChanged(root, host, was, now, skip);
        return now;
    }

    private static void removeWhatWasRemoved(Path host, Manifest was, Manifest now)
            throws IOException {
        List<String> paths = new ArrayList<>();
        was.paths().forEach(paths::add);
        // reverse order puts a folder's entries before the folder
        paths.sort(Collections.reverseOrder());
        for (String rel : paths) {
            boolean file = was.isFile(rel);
            boolean gone = file ? !now.isFile(rel) : !now.isFolder(rel);
            Path h = inside(host, rel);
            BasicFileAttributes a = gone && h != null ? attributes(h) : null;
            if (a == null) {
                continue;
            }
            if (file && a.isRegularFile()) {
                Files.deleteIfExists(h);
            } else if (!file && a.isDirectory()) {
                try {
                    Files.deleteIfExists(h);
                } catch (DirectoryNotEmptyException e) {
                    // holds links, special files or new host files the guest never saw: kept
                }
            }
        }
    }

    private static void writeWhatChanged(
            Path root, Path host, Manifest was, Manifest now, Set<String> skip) throws IOException {
        Files.walkFileTree(
                root,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes g)
                            throws IOException {
                        if (dir.equals(root)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String rel = Manifest.rel(root, dir);
                        Path h = HostCopy.target(root, dir, host);
                        if (skip.contains(rel)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        BasicFileAttributes a = attributes(h);
                        if (a == null) {
                            Files.createDirectory(h);
                        } else if (a.isSymbolicLink()) {
                            Files.delete(h);
                            Files.createDirectory(h);
                        } else if (!a.isDirectory()) {
                            // a special file, or a file the guest never saw: left alone
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes g)
                            throws IOException {
                        String rel = Manifest.rel(root, file);
                        if (!g.isRegularFile() || !now.isFile(rel)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (was.sameFile(rel, Manifest.digest(file))) {
                            return FileVisitResult.CONTINUE; // unchanged by the guest
                        }
                        Path h = HostCopy.target(root, file, host);
                        BasicFileAttributes a = attributes(h);
                        if (a == null || a.isRegularFile() || a.isSymbolicLink()) {
                            replace(file, h, a != null && a.isRegularFile());
                        }
                        // a folder or a special file of that name is left alone
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /**
     * Writes {@code from} to a new file beside {@code to} and renames it over {@code to}, so that
     * nothing is written through a link; an existing file's mode, owner and group are kept.
     */
    private static void replace(Path from, Path to, boolean keepMetadata) throws IOException {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path tmp = to.resolveSibling("." + to.getFileName() + ".airlock-" + tag);
        try {
            try (InputStream in = Files.newInputStream(from, NOFOLLOW);
                    OutputStream out =
                            Files.newOutputStream(
                                    tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
            if (keepMetadata) {
                copyMetadata(to, tmp);
            }
            Files.move(
                    tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void copyMetadata(Path original, Path copy) throws IOException {
        PosixFileAttributeView from =
                Files.getFileAttributeView(original, PosixFileAttributeView.class, NOFOLLOW);
        PosixFileAttributeView to =
                Files.getFileAttributeView(copy, PosixFileAttributeView.class, NOFOLLOW);
        if (from == null || to == null) {
            return; // no POSIX modes on this host
        }
        PosixFileAttributes a = from.readAttributes();
        try {
            // as root, the owner's; otherwise allowed only where it is already ours
            to.setOwner(a.owner());
        } catch (IOException | UnsupportedOperationException e) {
            // the file stays the server's
        }
        try {
            to.setGroup(a.group());
        } catch (IOException | UnsupportedOperationException e) {
            // not a group of the server's user
        }
        to.setPermissions(a.permissions());
    }

    /** The host path of {@code rel}, if every folder on the way is a plain folder (no link). */
    private static Path inside(Path host, String rel) {
        Path p = host;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0 && !Files.isDirectory(p, NOFOLLOW)) {
                return null;
            }
            p = p.resolve(parts[i]);
        }
        return p;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
