package dev.airlock.core.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a read-write mount's folder held as last copied between host and guest: its folders, and its
 * regular files by content digest. Copy-back compares the guest's tree with it to write only what
 * the guest changed and to remove only what the guest removed.
 */
final class Manifest {
    private static final byte[] FOLDER = new byte[0];

    /** Relative path ("a/b.txt") to the SHA-256 of a file's content, or {@link #FOLDER}. */
    private final Map<String, byte[]> entries = new HashMap<>();

    void folder(String rel) {
        entries.put(rel, FOLDER);
    }

    void file(String rel, byte[] digest) {
        entries.put(rel, digest);
    }

    boolean isFolder(String rel) {
        return entries.get(rel) == FOLDER;
    }

    boolean isFile(String rel) {
        byte[] d = entries.get(rel);
        return d != null && d != FOLDER;
    }

    /** Whether the manifest holds a file at {@code rel} with exactly this digest. */
    boolean sameFile(String rel, byte[] digest) {
        byte[] d = entries.get(rel);
        return d != null && d != FOLDER && Arrays.equals(d, digest);
    }

    /** The relative paths held, any order. */
    Iterable<String> paths() {
        return entries.keySet();
    }

    /**
     * The folders and regular files under {@code root} (an in-memory tree), links skipped, and the
     * subtrees at the relative paths in {@code skip} (other mounts nested in this one) left out.
     */
    static Manifest of(Path root, Set<String> skip) throws IOException {
        Manifest m = new Manifest();
        Files.walkFileTree(
                root,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                        if (dir.equals(root)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String rel = rel(root, dir);
                        if (skip.contains(rel)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        m.folder(rel);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes a)
                            throws IOException {
                        String rel = rel(root, file);
                        if (a.isRegularFile() && !skip.contains(rel)) {
                            m.file(rel, digest(file));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        return m;
    }

    /** A path relative to {@code root}, with {@code /} between names on every filesystem. */
    static String rel(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(part.toString());
        }
        return b.toString();
    }

    static byte[] digest(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
