package dev.airlock.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AirlockBatch} runs each row: the defaults of the per-row columns and the engine's
 * settings on the executors. Immutable and serializable (it travels to the executors with the job).
 *
 * <p>Defaults: language {@code python}, a 10 s time limit, 256 MiB of guest memory, 1 MiB of output
 * per stream, no fuel budget, the real clock and randomness, and the compiled-module and image
 * cache named by the executor's {@code airlock.cacheDir} system property (none if unset).
 */
public final class BatchOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String language;
    private final long timeoutMillis;
    private final long memoryBytes;
    private final long maxOutputBytes;
    private final long fuel;
    private final boolean deterministic;
    private final long seed;
    private final String cacheDir;
    private final java.util.TreeMap<String, String> packages;

    private BatchOptions(Builder b) {
        this.language = b.language;
        this.timeoutMillis = b.timeoutMillis;
        this.memoryBytes = b.memoryBytes;
        this.maxOutputBytes = b.maxOutputBytes;
        this.fuel = b.fuel;
        this.deterministic = b.deterministic;
        this.seed = b.seed;
        this.cacheDir = b.cacheDir;
        this.packages = new java.util.TreeMap<>(b.packages);
    }

    /** The defaults (see the class documentation). */
    public static BatchOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The language of rows without a {@code language} column or with a null in it. */
    public String language() {
        return language;
    }

    /** The time limit of rows without a {@code timeoutMs}. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** The guest memory limit of rows without a {@code memoryBytes}. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** The most bytes kept of each of stdout and stderr. */
    public long maxOutputBytes() {
        return maxOutputBytes;
    }

    /** The fuel budget of rows without a {@code fuel}; 0: none. */
    public long fuel() {
        return fuel;
    }

    /**
     * Whether every run sees a frozen clock (2000-01-01T00:00:00Z) and randomness seeded with
     * {@link #seed()}, so that a row gives the same result on every executor.
     */
    public boolean deterministic() {
        return deterministic;
    }

    /** The seed of deterministic runs. */
    public long seed() {
        return seed;
    }

    /** The cache folder on the executors, or null: the {@code airlock.cacheDir} property's. */
    public String cacheDir() {
        return cacheDir;
    }

    /**
     * The Python package folders rows may name in a {@code packages} column, by name: each named
     * one is mounted read-only at {@code /packages/NAME} on {@code sys.path}, as {@code airlock
     * serve --packages} does. The folder must exist at this path on every executor (a shared
     * filesystem, or the same files on each node).
     */
    public java.util.SortedMap<String, String> packages() {
        return java.util.Collections.unmodifiableSortedMap(packages);
    }

    /** Builds {@link BatchOptions}; every setter refuses a bad value at once. */
    public static final class Builder {
        private String language = "python";
        private long timeoutMillis = 10_000;
        private long memoryBytes = 256L << 20;
        private long maxOutputBytes = 1L << 20;
        private long fuel;
        private boolean deterministic;
        private long seed;
        private String cacheDir;
        private final java.util.Map<String, String> packages = new java.util.TreeMap<>();

        private Builder() {}

        /**
         * Offers a Python package folder to rows under {@code name} (see {@link #packages()}).
         *
         * @throws IllegalArgumentException if the name is not 1 to 64 of {@code A-Z a-z 0-9 _ -},
         *     is offered twice, or the path is not absolute
         */
        public Builder packageFolder(String name, String dir) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dir, "dir");
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException(
                        "package folder name: 1 to 64 of A-Z a-z 0-9 _ -: " + name);
            }
            if (!java.nio.file.Path.of(dir).isAbsolute()) {
                throw new IllegalArgumentException("package folder must be absolute: " + dir);
            }
            if (packages.putIfAbsent(name, dir) != null) {
                throw new IllegalArgumentException("package folder offered twice: " + name);
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException unless {@code python} or {@code javascript}
         */
        public Builder language(String language) {
            this.language = RowRunner.language(Objects.requireNonNull(language, "language")).id();
            return this;
        }

        /**
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            long ms = timeout.toMillis();
            if (ms <= 0) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeoutMillis = ms;
            return this;
        }

        /**
         * @throws IllegalArgumentException if below one 64 KiB page
         */
        public Builder memoryBytes(long bytes) {
            if (bytes < 65536) {
                throw new IllegalArgumentException("memoryBytes must be at least 65536");
            }
            this.memoryBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder maxOutputBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxOutputBytes must not be negative");
            }
            this.maxOutputBytes = bytes;
            return this;
        }

        /**
         * @param budget instructions' fuel per run; 0 for none
         * @throws IllegalArgumentException if negative
         */
        public Builder fuel(long budget) {
            if (budget < 0) {
                throw new IllegalArgumentException("fuel must not be negative");
            }
            this.fuel = budget;
            return this;
        }

        /** Frozen clock and randomness seeded with {@code seed} for every run. */
        public Builder deterministic(long seed) {
            this.deterministic = true;
            this.seed = seed;
            return this;
        }

        /** The compiled-module and image cache folder on every executor. */
        public Builder cacheDir(String dir) {
            this.cacheDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public BatchOptions build() {
            return new BatchOptions(this);
        }
    }
}
