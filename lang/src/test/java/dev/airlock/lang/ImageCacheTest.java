package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Started interpreters' images on disk: a later process (here, a later CodeInterpreter) restores
 * from the image instead of starting the interpreter; a corrupt image, or a folder others may
 * write, is never used.
 */
class ImageCacheTest {
    @TempDir Path tmp;

    private static List<Path> images(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("image-")).toList();
        }
    }

    private static String run(Path cache, String code, Policy policy) {
        try (CodeInterpreter ci =
                CodeInterpreter.builder().warmStart(false).imageCache(cache).build()) {
            Capture c = new Capture();
            Execution e = ci.run(Language.PYTHON, code, policy, c.stdio());
            assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.OK);
            return c.out();
        }
    }

    @Test
    void aRebuiltClassInAClassFolderChangesItsIdentity() throws IOException {
        Path classes = tmp.resolve("classes");
        Path cls = classes.resolve("dev/x/A.class");
        Files.createDirectories(cls.getParent());
        Files.write(cls, new byte[] {1});
        // times after the folders' own (which are now), as a rebuild's are
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(cls, FileTime.fromMillis(now + 3_600_000));
        String before = ImageCache.identity(classes);
        // rewritten in place: the folders' own times do not change
        Files.write(cls, new byte[] {2});
        Files.setLastModifiedTime(cls, FileTime.fromMillis(now + 7_200_000));
        assertThat(ImageCache.identity(classes)).isNotEqualTo(before);
        Path jar = tmp.resolve("a.jar");
        Files.write(jar, new byte[] {1, 2});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(3_000_000));
        assertThat(ImageCache.identity(jar)).isEqualTo(jar + " 2 3000000");
    }

    @Test
    void aLaterInterpreterRestoresTheImageItFinds() throws IOException {
        Path cache = tmp.resolve("images");
        assertThat(run(cache, "print(6 * 7)", Policy.defaults())).isEqualTo("42\n");
        List<Path> first = images(cache);
        assertThat(first).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rwx------");
        FileTime written = Files.getLastModifiedTime(first.get(0));
        Object inode =
                Files.readAttributes(
                                first.get(0), java.nio.file.attribute.BasicFileAttributes.class)
                        .fileKey();

        Policy env = Policy.builder().env("GREETING", "hello").build();
        assertThat(
                        run(
                                cache,
                                "import os, json\nprint(os.environ['GREETING'], json.dumps([1]))",
                                env))
                .isEqualTo("hello [1]\n");
        // a hit: the same single file, not written again (a new image would be a new file moved
        // in place), and marked used, so that pruning keeps it over images unused for longer
        assertThat(images(cache)).containsExactlyElementsOf(first);
        assertThat(
                        Files.readAttributes(
                                        first.get(0),
                                        java.nio.file.attribute.BasicFileAttributes.class)
                                .fileKey())
                .isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(first.get(0))).isGreaterThanOrEqualTo(written);
    }

    @Test
    void anEngineThatSplitsDifferentlyMakesItsOwnImage() throws IOException {
        // splitting adds functions and globals: an image of the split interpreter cannot restore
        // into the unsplit one, so two engines sharing one image folder must not share images
        Path cache = tmp.resolve("images");
        for (int split : new int[] {dev.airlock.core.split.Splitter.DEFAULT_THRESHOLD, 0}) {
            try (CodeInterpreter ci =
                    CodeInterpreter.builder()
                            .warmStart(false)
                            .airlock(
                                    dev.airlock.core.Airlock.builder()
                                            .splitThreshold(split)
                                            .build())
                            .imageCache(cache)
                            .build()) {
                Capture c = new Capture();
                Execution e =
                        ci.run(
                                Language.JAVASCRIPT,
                                "console.log(6 * 7)",
                                Policy.defaults(),
                                c.stdio());
                assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.OK);
                assertThat(c.out()).isEqualTo("42\n");
            }
        }
        assertThat(images(cache)).hasSize(2);
    }

    @Test
    void aCorruptImageIsIgnoredAndReplaced() throws IOException {
        Path cache = tmp.resolve("images");
        run(cache, "pass", Policy.defaults());
        Path image = images(cache).get(0);
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length / 2] ^= 0x5a;
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 100);
        Files.write(image, truncated);
        assertThat(run(cache, "print('still fine')", Policy.defaults())).isEqualTo("still fine\n");
        // replaced by a new image (its size varies a little with the heap's layout)
        assertThat(Files.readAllBytes(images(cache).get(0))).isNotEqualTo(truncated);
    }

    @Test
    void anImageWithOneByteChangedIsIgnoredAndReplaced() throws IOException {
        Path cache = tmp.resolve("images");
        run(cache, "pass", Policy.defaults());
        Path image = images(cache).get(0);
        for (int third = 1; third <= 3; third++) {
            byte[] bad = Files.readAllBytes(image);
            bad[Math.min(bad.length - 1, bad.length * third / 3)] ^= 0x01;
            Files.write(image, bad);
            assertThat(run(cache, "print('still fine')", Policy.defaults()))
                    .isEqualTo("still fine\n");
            // replaced by a new image (not byte for byte the old one: heap layouts vary)
            assertThat(Files.readAllBytes(image)).isNotEqualTo(bad);
        }
    }

    @Test
    void aFolderOthersMayWriteIsNeverUsed() throws IOException {
        Path cache = tmp.resolve("images");
        run(cache, "pass", Policy.defaults());
        Path image = images(cache).get(0);
        Files.write(image, "not an image".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(run(cache, "print(1)", Policy.defaults())).isEqualTo("1\n");
        // neither read nor written: the planted file is as it was
        assertThat(Files.readString(image)).isEqualTo("not an image");
    }
}
