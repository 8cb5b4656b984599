package dev.airlock.core.vfs;

import dev.airlock.core.Limits;
import dev.airlock.core.Size;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a filesystem's volumes use, against its quotas: allocated bytes and entries (files,
 * directories and links). A shared volume counts only when charged, by its entries; its blocks are
 * nobody's.
 */
final class VolumeUsage {
    private VolumeUsage() {}

    /** Bytes allocated over the charged volumes, in whole blocks. */
    static long usedBytes(List<Volume> volumes) {
        long used = 0;
        for (Volume v : volumes) {
            if (!v.charged()) {
                continue;
            }
            try {
                used += v.store().getTotalSpace() - v.store().getUnallocatedSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return used;
    }

    /** Entries over all volumes, their roots excluded. */
    static int countFiles(List<Volume> volumes) {
        int n = 0;
        for (Volume v : volumes) {
            if (v.shared() != null) {
                n += v.charged() ? v.shared().entries().size() : 0;
                continue;
            }
            try (Stream<Path> s = Files.walk(v.root())) {
                n += (int) s.count() - 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    /**
     * @throws QuotaExceededException if {@code used} bytes or {@code files} entries exceed the
     *     quotas of {@code limits}
     */
    static void check(Limits limits, long used, int files) {
        if (used > limits.fsQuotaBytes()) {
            throw new QuotaExceededException(
                    "limit exceeded: fs-quota ("
                            + Size.format(limits.fsQuotaBytes())
                            + " of files; "
                            + used
                            + " bytes in use)");
        }
        if (files > limits.fsQuotaFiles()) {
            throw new QuotaExceededException(
                    "limit exceeded: fs-quota ("
                            + limits.fsQuotaFiles()
                            + " files; "
                            + files
                            + " in use)");
        }
    }
}
