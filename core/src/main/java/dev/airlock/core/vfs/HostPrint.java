package dev.airlock.core.vfs;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * What a host folder holds, read without reading its files: for each folder and regular file under
 * it (never through a link), its path, kind, size, modification and change times and file key,
 * hashed. Two prints of a folder are equal while nothing in it has changed: a rewritten file moves
 * its change time even when its size and modification time are forged back, and an added, removed
 * or renamed entry changes its folder's. So a read-only mount whose print matches a kept volume's
 * can be shown from that volume without copying the folder again.
 */
final class HostPrint {
    private HostPrint() {}

    /**
     * The print of {@code host}'s tree.
     *
     * @throws IOException if the folder cannot be walked
     */
    static Print of(Path host) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeUTF(host.toAbsolutePath().normalize().toString());
        List<String> lines;
        long[] bytes = new long[1];
        try {
            lines = unixLines(host, bytes);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            bytes[0] = 0;
            lines = basicLines(host, bytes);
        }
        lines.sort(null);
        for (String l : lines) {
            out.writeUTF(l);
        }
        out.flush();
        try {
            return new Print(
                    MessageDigest.getInstance("SHA-256").digest(buffer.toByteArray()), bytes[0]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String UNIX =
            "unix:isDirectory,isRegularFile,size,lastModifiedTime,ctime,dev,ino";

    /** One {@code lstat} per entry, change times included (a walk's own attributes have none). */
    private static List<String> unixLines(Path host, long[] bytes) throws IOException {
        List<String> lines = new ArrayList<>();
        Deque<Path> folders = new ArrayDeque<>();
        lines.add(
                unixLine(host, host, Files.readAttributes(host, UNIX, LinkOption.NOFOLLOW_LINKS)));
        folders.push(host);
        while (!folders.isEmpty()) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folders.pop())) {
                for (Path p : ds) {
                    Map<String, Object> a =
                            Files.readAttributes(p, UNIX, LinkOption.NOFOLLOW_LINKS);
                    if (Boolean.TRUE.equals(a.get("isDirectory"))) {
                        lines.add(unixLine(host, p, a));
                        folders.push(p);
                    } else if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
                        lines.add(unixLine(host, p, a));
                        bytes[0] += (Long) a.get("size");
                    }
                    // links and special files are never copied in, so they need no print
                }
            }
        }
        return lines;
    }

    private static String unixLine(Path host, Path p, Map<String, Object> a) {
        return host.relativize(p)
                + "\0"
                + (Boolean.TRUE.equals(a.get("isDirectory")) ? 'd' : 'f')
                + "\0"
                + a.get("size")
                + "\0"
                + nanos((FileTime) a.get("lastModifiedTime"))
                + "\0"
                + nanos((FileTime) a.get("ctime"))
                + "\0"
                + a.get("dev")
                + ":"
                + a.get("ino");
    }

    /** Where the platform has no {@code unix} view: sizes, modification times and file keys. */
    private static List<String> basicLines(Path host, long[] bytes) throws IOException {
        List<String> lines = new ArrayList<>();
        Files.walkFileTree(
                host,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                        lines.add(basicLine(host, dir, 'd', a));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                        if (a.isRegularFile()) {
                            lines.add(basicLine(host, file, 'f', a));
                            bytes[0] += a.size();
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        return lines;
    }

    private static String basicLine(Path host, Path p, char kind, BasicFileAttributes a) {
        return host.relativize(p)
                + "\0"
                + kind
                + "\0"
                + a.size()
                + "\0"
                + nanos(a.lastModifiedTime())
                + "\0"
                + a.fileKey();
    }

    private static long nanos(FileTime t) {
        return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A folder's print and the bytes of its regular files. */
    record Print(byte[] hash, long bytes) {
        /** Whether {@code other} is a print of the same, unchanged folder. */
        boolean same(Print other) {
            return other != null && Arrays.equals(hash, other.hash);
        }
    }
}
