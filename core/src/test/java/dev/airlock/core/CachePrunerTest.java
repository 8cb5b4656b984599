package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachePrunerTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir Path dir;

    private Path entry(String name, int bytes, Duration age) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, new byte[bytes]);
        Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
        return f;
    }

    @Test
    void entriesUnusedPastTheIdleLimitGoAndRecentOnesStay() throws Exception {
        Path old = entry("image-a.snap", 10, Duration.ofDays(31));
        Path recent = entry("image-b.snap", 10, Duration.ofDays(2));
        Path keep = entry("image-c.snap", 10, Duration.ofDays(90));
        int n =
                CachePruner.prune(
                        dir, "image-", ".snap", keep, 1 << 20, Duration.ofDays(30), CLOCK);
        assertThat(n).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(keep).as("the entry just written").exists();
    }

    @Test
    void overTheBudgetTheLeastRecentlyUsedGoFirst() throws Exception {
        Path a = entry("airlock8-a.jar", 400, Duration.ofHours(5));
        Path b = entry("airlock8-b.jar", 400, Duration.ofHours(1));
        Path c = entry("airlock7-c.jar", 400, Duration.ofHours(3));
        Path keep = entry("airlock8-d.jar", 400, Duration.ZERO);
        CachePruner.prune(dir, "airlock", ".jar", keep, 1000, Duration.ofDays(30), CLOCK);
        assertThat(a).doesNotExist();
        assertThat(c).doesNotExist();
        assertThat(b).exists();
        assertThat(keep).exists();
    }

    @Test
    void touchMarksAnEntryUsedSoItOutlivesOlderOnes() throws Exception {
        Path a = entry("image-a.snap", 600, Duration.ofHours(5));
        Path b = entry("image-b.snap", 600, Duration.ofHours(1));
        CachePruner.touch(a, CLOCK);
        CachePruner.prune(dir, "image-", ".snap", null, 1000, Duration.ofDays(30), CLOCK);
        assertThat(a).exists();
        assertThat(b).doesNotExist();
    }

    @Test
    void leftoverTemporaryFilesGoAfterAnHourAndOtherFilesAreLeftAlone() throws Exception {
        Path staleTmp = entry("tmp-123.snap", 10, Duration.ofHours(2));
        Path freshTmp = entry("tmp-456.snap", 10, Duration.ofMinutes(5));
        Path foreign = entry("notes.txt", 5000, Duration.ofDays(400));
        Path otherKind = entry("image-x.jar", 5000, Duration.ofDays(400));
        CachePruner.prune(dir, "image-", ".snap", null, 0, Duration.ofDays(30), CLOCK);
        assertThat(staleTmp).doesNotExist();
        assertThat(freshTmp).as("a write may still be under way").exists();
        assertThat(foreign).exists();
        assertThat(otherKind).exists();
    }

    @Test
    void linksAreNeitherFollowedNorCounted() throws Exception {
        Path outside = Files.createTempFile("airlock-outside", ".snap");
        try {
            Files.setLastModifiedTime(outside, FileTime.from(NOW.minus(Duration.ofDays(100))));
            Path link = Files.createSymbolicLink(dir.resolve("image-link.snap"), outside);
            CachePruner.prune(dir, "image-", ".snap", null, 0, Duration.ofDays(30), CLOCK);
            assertThat(outside).exists();
            assertThat(Files.isSymbolicLink(link)).isTrue();
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aMissingFolderIsNotAnError() {
        assertThat(
                        CachePruner.prune(
                                dir.resolve("absent"),
                                "image-",
                                ".snap",
                                null,
                                0,
                                Duration.ofDays(1),
                                CLOCK))
                .isZero();
    }
}
