package dev.airlock.skills;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of installed skills on this machine, one folder per content digest ({@code
 * cache/DIGEST/}), for what needs them on disk (an interpreter skill's folder is mounted into its
 * sandbox). A folder is written whole under a temporary name and renamed, so it is either complete
 * or absent; it is verified (signature and digest) each time it is used, and one that does not
 * verify is refused, not repaired: something changed it.
 */
final class SkillCache {
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    SkillCache(Path root) {
        this.root = root;
    }

    /**
     * The folder of {@code files}, whose digest is {@code digest}: written if absent, then verified
     * against {@code trust} and the digest.
     *
     * @throws SkillException {@code TAMPERED} if the folder holds other files, {@code UNTRUSTED} if
     *     its signature's key is not trusted, {@code IO} if it cannot be written
     */
    Path verified(String digest, SkillFiles files, TrustStore trust) throws SkillException {
        Path d = folder(digest);
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            try {
                write(digest, files);
            } catch (IOException e) {
                throw new SkillException(
                        SkillException.Kind.IO,
                        "cannot write the skill's files to " + d + ": " + e.getMessage());
            }
        }
        String where = " (in the cached copy " + d + "; delete it to restore it from the store)";
        SkillFiles cached;
        Signatures.Verified v;
        try {
            cached = SkillFiles.readFolder(d);
            v = Signatures.verify(cached, trust);
        } catch (SkillException e) {
            if (e.kind() == SkillException.Kind.IO) {
                throw e;
            }
            throw new SkillException(SkillException.Kind.TAMPERED, e.getMessage() + where);
        }
        if (!v.digest().equals(digest)) {
            throw new SkillException(
                    SkillException.Kind.TAMPERED, "the files are another skill's" + where);
        }
        return d;
    }

    /** Writes the folder of {@code files} unless it is there (another process may write it too). */
    void write(String digest, SkillFiles files) throws IOException, SkillException {
        Path d = folder(digest);
        if (Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".tmp-");
        try {
            files.writeTo(tmp.resolve("files"));
            Files.move(tmp.resolve("files"), d, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // written meanwhile by another thread or process (verified when used)
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** Removes the folder of {@code digest}, if there is one (none for what is not a digest). */
    void drop(String digest) throws IOException {
        if (digest != null && DIGEST.matcher(digest).matches()) {
            deleteTree(root.resolve(digest));
        }
    }

    private Path folder(String digest) throws SkillException {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            // only an edited row holds something else
            throw new SkillException(
                    SkillException.Kind.TAMPERED, "the stored digest is not a SHA-256");
        }
        return root.resolve(digest);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
