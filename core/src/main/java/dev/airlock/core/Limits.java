package dev.airlock.core;

import dev.airlock.core.fuel.CostTable;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Hard limits for one run. Immutable; build with {@link #builder()}. Every limit, when hit, ends
 * the run with an {@link Outcome} of status {@link Status#LIMIT} and its own {@link LimitKind},
 * except memory and table growth, which fail the way WebAssembly specifies ({@code memory.grow} and
 * {@code table.grow} return -1).
 *
 * <p>Defaults: timeout 10 s (wall time, host calls included); memory 256 MiB; table 100,000
 * elements; output 16 MiB (stdout and stderr together); filesystem 128 MiB and 10,000 files; guest
 * thread stack 64 MiB; no fuel budget (the module runs unmetered).
 */
public final class Limits {
    /** WebAssembly page size, 64 KiB. */
    public static final long PAGE = 65536;

    /** The largest memory a 32-bit WebAssembly module can address, 4 GiB. */
    public static final long MAX_MEMORY = 65536L * PAGE;

    private static final Limits DEFAULTS = builder().build();

    private final Duration timeout;
    private final long memoryBytes;
    private final int tableElements;
    private final long maxOutputBytes;
    private final long fsQuotaBytes;
    private final int fsQuotaFiles;
    private final long stackBytes;
    private final long fuel;
    private final CostTable fuelCosts;

    private Limits(Builder b) {
        this.timeout = b.timeout;
        this.memoryBytes = b.memoryBytes;
        this.tableElements = b.tableElements;
        this.maxOutputBytes = b.maxOutputBytes;
        this.fsQuotaBytes = b.fsQuotaBytes;
        this.fsQuotaFiles = b.fsQuotaFiles;
        this.stackBytes = b.stackBytes;
        this.fuel = b.fuel;
        this.fuelCosts = b.fuelCosts;
    }

    /** The default limits. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with these limits. */
    public Builder toBuilder() {
        Builder b =
                new Builder()
                        .timeout(timeout)
                        .memoryBytes(memoryBytes)
                        .tableElements(tableElements)
                        .maxOutputBytes(maxOutputBytes)
                        .fsQuotaBytes(fsQuotaBytes)
                        .fsQuotaFiles(fsQuotaFiles)
                        .stackBytes(stackBytes)
                        .fuelCosts(fuelCosts);
        return fuel < 0 ? b : b.fuel(fuel);
    }

    /** Wall-clock budget for the whole run, time spent inside host calls included. */
    public Duration timeout() {
        return timeout;
    }

    /** Largest linear memory, in bytes (a multiple of 64 KiB). */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** {@link #memoryBytes()} in 64 KiB pages. */
    public int memoryPages() {
        return (int) (memoryBytes / PAGE);
    }

    /** Largest number of elements any table may grow to. */
    public int tableElements() {
        return tableElements;
    }

    /** Largest number of bytes the guest may write to stdout and stderr together. */
    public long maxOutputBytes() {
        return maxOutputBytes;
    }

    /** Largest number of bytes the virtual filesystem may hold (in 4 KiB blocks). */
    public long fsQuotaBytes() {
        return fsQuotaBytes;
    }

    /** Largest number of files, directories and links the virtual filesystem may hold. */
    public int fsQuotaFiles() {
        return fsQuotaFiles;
    }

    /** Stack size of the thread that runs the guest; deeper recursion ends as a stack limit. */
    public long stackBytes() {
        return stackBytes;
    }

    /**
     * The fuel budget, if the run is metered. A metered run executes a copy of the module rewritten
     * to count its own work (see {@link CostTable}); it ends as a {@link LimitKind#FUEL} limit when
     * the budget runs out, and {@link Usage#fuel()} reports what it used. The same module, input
     * and policy use the same fuel on every machine, compiled or interpreted.
     */
    public OptionalLong fuel() {
        return fuel < 0 ? OptionalLong.empty() : OptionalLong.of(fuel);
    }

    /** The prices fuel is charged at (default {@link CostTable#defaults()}). */
    public CostTable fuelCosts() {
        return fuelCosts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Limits)) {
            return false;
        }
        Limits l = (Limits) o;
        return timeout.equals(l.timeout)
                && memoryBytes == l.memoryBytes
                && tableElements == l.tableElements
                && maxOutputBytes == l.maxOutputBytes
                && fsQuotaBytes == l.fsQuotaBytes
                && fsQuotaFiles == l.fsQuotaFiles
                && stackBytes == l.stackBytes
                && fuel == l.fuel
                && fuelCosts.equals(l.fuelCosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                timeout,
                memoryBytes,
                tableElements,
                maxOutputBytes,
                fsQuotaBytes,
                fsQuotaFiles,
                stackBytes,
                fuel,
                fuelCosts);
    }

    @Override
    public String toString() {
        return "Limits{timeout="
                + Durations.format(timeout)
                + ", memory="
                + Size.format(memoryBytes)
                + ", table="
                + tableElements
                + ", output="
                + Size.format(maxOutputBytes)
                + ", fs="
                + Size.format(fsQuotaBytes)
                + "/"
                + fsQuotaFiles
                + " files, stack="
                + Size.format(stackBytes)
                + (fuel < 0 ? "" : ", fuel=" + fuel)
                + "}";
    }

    /** Builds {@link Limits}; each setter rejects a bad value at once. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(10);
        private long memoryBytes = 256L << 20;
        private int tableElements = 100_000;
        private long maxOutputBytes = 16L << 20;
        private long fsQuotaBytes = 128L << 20;
        private int fsQuotaFiles = 10_000;
        private long stackBytes = 64L << 20;
        private long fuel = -1;
        private CostTable fuelCosts = CostTable.defaults();

        private Builder() {}

        /**
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * @throws IllegalArgumentException unless a positive multiple of 64 KiB, at most 4 GiB
         */
        public Builder memoryBytes(long bytes) {
            if (bytes < PAGE || bytes > MAX_MEMORY || bytes % PAGE != 0) {
                throw new IllegalArgumentException(
                        "memory limit must be a multiple of 64KiB between 64KiB and 4GiB: "
                                + Size.format(bytes));
            }
            this.memoryBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder tableElements(int elements) {
            if (elements < 0) {
                throw new IllegalArgumentException("table limit must be >= 0: " + elements);
            }
            this.tableElements = elements;
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder maxOutputBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("output limit must be >= 0: " + bytes);
            }
            this.maxOutputBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder fsQuotaBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("filesystem quota must be >= 0: " + bytes);
            }
            this.fsQuotaBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder fsQuotaFiles(int files) {
            if (files < 0) {
                throw new IllegalArgumentException("file count quota must be >= 0: " + files);
            }
            this.fsQuotaFiles = files;
            return this;
        }

        /**
         * @throws IllegalArgumentException unless between 256 KiB and 1 GiB
         */
        public Builder stackBytes(long bytes) {
            if (bytes < (256L << 10) || bytes > (1L << 30)) {
                throw new IllegalArgumentException(
                        "stack size must be between 256KiB and 1GiB: " + Size.format(bytes));
            }
            this.stackBytes = bytes;
            return this;
        }

        /**
         * Meters the run with this fuel budget (0 allowed: the first charged work runs out).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder fuel(long budget) {
            if (budget < 0) {
                throw new IllegalArgumentException("fuel budget must be >= 0: " + budget);
            }
            this.fuel = budget;
            return this;
        }

        /** Removes the fuel budget: the run is not metered (the default). */
        public Builder noFuel() {
            this.fuel = -1;
            return this;
        }

        /** The prices of a metered run (default {@link CostTable#defaults()}). */
        public Builder fuelCosts(CostTable costs) {
            this.fuelCosts = Objects.requireNonNull(costs, "costs");
            return this;
        }

        public Limits build() {
            return new Limits(this);
        }
    }
}
