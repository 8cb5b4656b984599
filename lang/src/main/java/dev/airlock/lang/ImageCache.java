package dev.airlock.lang;

import dev.airlock.core.CachePruner;
import dev.airlock.core.PrivateFolder;
import dev.airlock.core.Snapshot;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Started interpreters' images on disk, so that a fresh process restores an interpreter instead of
 * starting it (seconds of CPU for Python). One file per key: the SHA-256 of the interpreter module,
 * its driver files and the code that prepares it (see {@link #key}). The folder is made owner-only,
 * and an image is read only from a folder and a file that the current user owns and nobody else may
 * write; anything unreadable, foreign or stale is ignored and the image made again. Each file
 * starts with the CRC-32C of the rest, summed as the image is read and checked before it is used,
 * since a damaged image would restore a damaged heap (the snapshot format itself detects truncation
 * only); a checksum suffices because only the owner can write there, so damage is accidental. The
 * image itself is kept uncompressed ({@link Snapshot#writeTo(java.io.OutputStream, boolean)}):
 * about twice the disk, but restored several times faster than inflating it, in every fresh
 * process. Images are published atomically (written beside, then moved), and the folder pruned as
 * {@link CachePruner} says (images of earlier builds are never read again). Never throws: a cache
 * that fails costs only the start it would have saved.
 */
final class ImageCache {
    private final Path dir;

    ImageCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache key of an interpreter image: its module (hash and layout as compiled, see {@link
     * CodeInterpreter#imageBinding}) and every input of its start, each length-prefixed.
     */
    static String key(String module, byte[]... inputs) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("airlock-image-4\0" + module + "\0").getBytes(StandardCharsets.UTF_8));
            for (byte[] in : inputs) {
                d.update(Integer.toString(in.length).getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(in);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The key of an image: its module, the files its start is given, and the code that starts and
     * restores it: each jar or folder one of {@code code} was loaded from, by path, size and
     * modification time (a folder's by its newest file, so that a rebuilt class changes the key);
     * {@code null} when that code cannot be identified (then nothing is cached).
     */
    static String keyOf(String module, Map<String, byte[]> startFiles, Class<?>... code) {
        List<byte[]> inputs = new ArrayList<>();
        startFiles.forEach(
                (path, content) -> {
                    inputs.add(path.getBytes(StandardCharsets.UTF_8));
                    inputs.add(content);
                });
        try {
            for (Class<?> c : code) {
                Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                inputs.add(identity(p).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
        return key(module, inputs.toArray(new byte[0][]));
    }

    /** A jar's or class folder's identity: its path, size and modification time. */
    static String identity(Path p) throws IOException {
        return p + " " + Files.size(p) + " " + modified(p);
    }

    /** A jar's modification time, or a folder's newest file's (in milliseconds). */
    private static long modified(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return Files.getLastModifiedTime(p).toMillis();
        }
        long newest = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(p)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
            }
        }
        return newest;
    }

    private Path file(String key) {
        return dir.resolve("image-" + key + ".snap");
    }

    private static final int CHECK = 4;

    private static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** The cached image for {@code key}, or {@code null}. */
    Snapshot get(String key, String moduleSha256) {
        Path f = file(key);
        try {
            if (!PrivateFolder.trustedFile(dir, f)) {
                return null;
            }
            // [CRC-32C of the rest][the snapshot]: a damaged file would restore a damaged heap.
            // Read as a stream, summed on the way: the file is not held in memory beside the
            // image (tens of MB of fresh heap for Python, whose page faults are most of a read)
            Snapshot s;
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                byte[] head = in.readNBytes(CHECK);
                if (head.length < CHECK) {
                    return null;
                }
                CRC32C sum = new CRC32C();
                CheckedInputStream checked = new CheckedInputStream(in, sum);
                s =
                        Snapshot.readFrom(
                                new FilterInputStream(checked) {
                                    @Override
                                    public void close() {
                                        // the rest is summed below
                                    }
                                });
                checked.transferTo(OutputStream.nullOutputStream());
                if (java.nio.ByteBuffer.wrap(head).getInt() != (int) sum.getValue()) {
                    return null;
                }
            }
            if (!s.moduleSha256().equals(moduleSha256)) {
                return null;
            }
            CachePruner.touch(f, Clock.systemUTC());
            return s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stores {@code image} under {@code key}; failures are ignored. */
    void put(String key, Snapshot image) {
        Path tmp = null;
        try {
            if (!PrivateFolder.prepare(dir)) {
                return;
            }
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(1 << 20);
            image.writeTo(body, false);
            byte[] bytes = body.toByteArray();
            tmp = Files.createTempFile(dir, "tmp-", ".snap");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(
                        java.nio.ByteBuffer.allocate(CHECK)
                                .putInt(crc32c(bytes, 0, bytes.length))
                                .array());
                out.write(bytes);
            }
            Files.move(
                    tmp,
                    file(key),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            // images of earlier builds are never read again: drop them once unused
            CachePruner.prune(
                    dir,
                    "image-",
                    ".snap",
                    file(key),
                    CachePruner.maxBytes(),
                    CachePruner.maxIdle(),
                    Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            // an optimisation only
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // left for the next cleaner
                }
            }
        }
    }
}
