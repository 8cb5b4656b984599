package dev.airlock.skills;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The files of a skill, in memory, by relative path ({@code /}-separated, sorted). Read from a
 * folder or a {@code .skill} archive with the same checks: no links or special files, no path that
 * is absolute or climbs out, no duplicates, at most {@link #MAX_FILES} files and {@link #MAX_TOTAL}
 * bytes (counted as they are inflated, so a zip bomb stops there).
 */
public final class SkillFiles {
    /** The signature's file name in a skill. */
    public static final String SIGNATURE = "signature.json";

    /** The archive extension. */
    public static final String EXTENSION = ".skill";

    static final int MAX_FILES = 1000;
    static final long MAX_TOTAL = 64L << 20;
    static final int MAX_PATH = 255;
    private static final LocalDateTime EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final SortedMap<String, byte[]> files;

    SkillFiles(SortedMap<String, byte[]> files) {
        this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** All files by path, the signature included if there is one. */
    public SortedMap<String, byte[]> files() {
        return files;
    }

    /** A file's content, or {@code null}. */
    public byte[] get(String path) {
        return files.get(path);
    }

    /**
     * Skill files made in memory (a box, a compiled skill), checked as an archive's are: valid
     * paths, at most 1000 files and 64 MiB.
     *
     * @throws SkillException ({@code ARCHIVE}) naming the problem
     */
    public static SkillFiles of(java.util.Map<String, byte[]> files) throws SkillException {
        int count = 0;
        long total = 0;
        for (java.util.Map.Entry<String, byte[]> f : files.entrySet()) {
            total += f.getValue().length;
            try {
                check(f.getKey(), count++, total);
            } catch (Refused e) {
                throw new SkillException(e.kind, f.getKey() + ": " + e.getMessage());
            }
        }
        return new SkillFiles(new TreeMap<>(files));
    }

    /** These files with {@code path} set to {@code content}. */
    public SkillFiles with(String path, byte[] content) {
        TreeMap<String, byte[]> m = new TreeMap<>(files);
        m.put(path, content);
        return new SkillFiles(m);
    }

    /** The manifest, parsed and validated, with its entry file present. */
    public Manifest manifest() throws SkillException {
        byte[] m = files.get(Manifest.FILE);
        if (m == null) {
            throw new SkillException(SkillException.Kind.INVALID, "no " + Manifest.FILE);
        }
        Manifest manifest = Manifest.parse(m);
        if (!files.containsKey(manifest.entry().file())) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    "entry file " + manifest.entry().file() + " is missing");
        }
        return manifest;
    }

    /** Reads a folder, or a {@code .skill} archive if {@code source} is a file. */
    public static SkillFiles read(Path source) throws SkillException {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return readFolder(source);
        }
        if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (Files.size(source) > MAX_TOTAL) {
                    throw new SkillException(
                            SkillException.Kind.ARCHIVE, source + ": larger than 64MiB");
                }
                try (InputStream in = Files.newInputStream(source)) {
                    return readArchive(in, String.valueOf(source.getFileName()));
                }
            } catch (IOException e) {
                throw new SkillException(SkillException.Kind.IO, "cannot read " + source, e);
            }
        }
        throw new SkillException(
                SkillException.Kind.NOT_FOUND, source + ": no such skill folder or archive");
    }

    /** Reads a folder: regular files only, links and special files refused. */
    public static SkillFiles readFolder(Path dir) throws SkillException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new SkillException(SkillException.Kind.NOT_FOUND, dir + ": no such folder");
        }
        TreeMap<String, byte[]> out = new TreeMap<>();
        long[] total = {0};
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                                throws IOException {
                            String rel = dir.relativize(f).toString().replace('\\', '/');
                            if (!a.isRegularFile()) {
                                throw new Refused(
                                        SkillException.Kind.ARCHIVE,
                                        rel + ": not a regular file (links are not followed)");
                            }
                            check(rel, out.size(), total[0] + a.size());
                            byte[] b = Files.readAllBytes(f);
                            total[0] += b.length;
                            check(rel, out.size(), total[0]);
                            out.put(rel, b);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (Refused e) {
            throw e.toSkillException();
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, "cannot read " + dir, e);
        }
        return new SkillFiles(out);
    }

    /** Reads an archive from a stream, counting inflated bytes as they come. */
    public static SkillFiles readArchive(InputStream in, String name) throws SkillException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            ZipEntry e;
            byte[] buf = new byte[8192];
            while ((e = zip.getNextEntry()) != null) {
                String path = e.getName();
                if (e.isDirectory()) {
                    String why = pathProblem(path.substring(0, path.length() - 1));
                    if (why != null) {
                        throw new SkillException(SkillException.Kind.ARCHIVE, name + ": " + why);
                    }
                    continue;
                }
                check(path, out.size(), total);
                if (out.containsKey(path)) {
                    throw new SkillException(
                            SkillException.Kind.ARCHIVE, name + ": duplicate entry " + path);
                }
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                int n;
                while ((n = zip.read(buf)) > 0) {
                    total += n;
                    if (total > MAX_TOTAL) {
                        throw new SkillException(
                                SkillException.Kind.ARCHIVE,
                                name + ": more than 64MiB once inflated");
                    }
                    content.write(buf, 0, n);
                }
                out.put(path, content.toByteArray());
            }
        } catch (Refused r) {
            throw r.toSkillException();
        } catch (IOException e) {
            throw new SkillException(
                    SkillException.Kind.ARCHIVE, name + ": not a valid archive: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new SkillException(
                    SkillException.Kind.ARCHIVE, name + ": not a skill archive (no zip entries)");
        }
        return new SkillFiles(out);
    }

    private static void check(String path, int count, long total) throws Refused {
        String why = pathProblem(path);
        if (why != null) {
            throw new Refused(SkillException.Kind.ARCHIVE, why);
        }
        if (count >= MAX_FILES) {
            throw new Refused(SkillException.Kind.ARCHIVE, "more than " + MAX_FILES + " files");
        }
        if (total > MAX_TOTAL) {
            throw new Refused(SkillException.Kind.ARCHIVE, "more than 64MiB of files");
        }
    }

    /**
     * Why {@code path} cannot name a file in a skill, or {@code null}: it must be relative, use
     * {@code /}, have no empty, {@code .} or {@code ..} part, and only printable characters.
     */
    public static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        String shown = path.length() > 80 ? path.substring(0, 80) + "..." : path;
        if (path.length() > MAX_PATH) {
            return "path longer than " + MAX_PATH + ": " + shown;
        }
        if (path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
            return "absolute or non-portable path: " + shown;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "path escapes or is not normal: " + shown;
            }
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "control characters in path";
        }
        return null;
    }

    /**
     * Writes the files as a reproducible archive: entries in path order, fixed timestamps, no
     * folders, no extra fields. The same files always give the same bytes.
     */
    public void pack(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        zip.setLevel(9);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            ZipEntry e = new ZipEntry(f.getKey());
            e.setTimeLocal(EPOCH);
            zip.putNextEntry(e);
            zip.write(f.getValue());
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** Writes the files under {@code dir} (which must not exist or be empty). */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey()).normalize();
            if (!p.startsWith(dir)) {
                throw new IOException("path escapes: " + f.getKey());
            }
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
    }

    /** Hex SHA-256. */
    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex SHA-256 of a UTF-8 string. */
    static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Carries a refusal out of a file visitor. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final SkillException.Kind kind;

        Refused(SkillException.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        SkillException toSkillException() {
            return new SkillException(kind, getMessage());
        }
    }
}
