package dev.airlock.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps a cache folder (compiled modules, interpreter images) from growing without end: every build
 * of Airlock or of an interpreter makes new entries and leaves the old ones unread. A cached file's
 * modification time is its last use ({@link #touch} on each hit); {@link #prune} deletes entries
 * unused for longer than the idle limit, then the least recently used until the folder's entries
 * fit the byte budget, and temporary files left by an interrupted write after an hour. Only regular
 * files whose names have the given prefix and suffix are considered; links are never followed.
 * Never throws: a cache that cannot be pruned only uses more disk.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_BYTES} bytes per folder (system property {@code
 * airlock.cache.maxBytes}) and 30 days idle (system property {@code airlock.cache.maxIdleDays}).
 */
public final class CachePruner {
    /** The byte budget of one cache folder unless configured: 2 GiB. */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;

    /** How long an entry may go unused unless configured. */
    public static final Duration DEFAULT_MAX_IDLE = Duration.ofDays(30);

    private static final Duration TEMP_AGE = Duration.ofHours(1);

    private CachePruner() {}

    /** The configured byte budget. */
    public static long maxBytes() {
        return Math.max(0, Long.getLong("airlock.cache.maxBytes", DEFAULT_MAX_BYTES));
    }

    /** The configured idle limit. */
    public static Duration maxIdle() {
        long days = Long.getLong("airlock.cache.maxIdleDays", DEFAULT_MAX_IDLE.toDays());
        return Duration.ofDays(Math.max(0, days));
    }

    /** Records that {@code file} was used now; failures are ignored. */
    public static void touch(Path file, Clock clock) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        } catch (IOException | RuntimeException e) {
            // pruning may then take it earlier than it would have
        }
    }

    private record Item(Path path, long size, Instant used) {}

    /**
     * Prunes {@code dir}; {@code keep} (the entry just written, or null) is never deleted.
     *
     * @return how many files were deleted
     */
    public static int prune(
            Path dir,
            String prefix,
            String suffix,
            Path keep,
            long maxBytes,
            Duration maxIdle,
            Clock clock) {
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                BasicFileAttributes a =
                        Files.readAttributes(
                                f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile()) {
                    continue;
                }
                Instant used = a.lastModifiedTime().toInstant();
                if (name.startsWith("tmp-")) {
                    if (used.plus(TEMP_AGE).isBefore(now)) {
                        deleted += delete(f);
                    }
                } else if (name.startsWith(prefix) && name.endsWith(suffix) && !f.equals(keep)) {
                    items.add(new Item(f, a.size(), used));
                }
            }
        } catch (IOException | RuntimeException e) {
            return deleted;
        }
        long total = keep == null ? 0 : size(keep);
        List<Item> kept = new ArrayList<>();
        for (Item i : items) {
            if (i.used().plus(maxIdle).isBefore(now)) {
                deleted += delete(i.path());
            } else {
                kept.add(i);
                total += i.size();
            }
        }
        kept.sort(Comparator.comparing(Item::used));
        for (Item i : kept) {
            if (total <= maxBytes) {
                break;
            }
            if (delete(i.path()) == 1) {
                deleted++;
                total -= i.size();
            }
        }
        return deleted;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static int delete(Path f) {
        try {
            return Files.deleteIfExists(f) ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
