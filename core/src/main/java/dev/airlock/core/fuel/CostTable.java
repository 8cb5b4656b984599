package dev.airlock.core.fuel;

import java.util.Objects;

/**
 * What each kind of work costs in fuel. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <p>The defaults:
 *
 * <table>
 *   <caption>Default prices</caption>
 *   <tr><th>work</th><th>fuel</th></tr>
 *   <tr><td>{@code block}, {@code loop}, {@code else}, {@code end}</td><td>0</td></tr>
 *   <tr><td>any other instruction</td><td>1 ({@link #instruction()})</td></tr>
 *   <tr><td>{@code call}, {@code return_call}</td><td>5 ({@link #call()})</td></tr>
 *   <tr><td>{@code call_indirect}, {@code return_call_indirect}</td>
 *       <td>10 ({@link #callIndirect()})</td></tr>
 *   <tr><td>{@code memory.grow}</td><td>10, plus 1,024 per 64 KiB page when it succeeds</td></tr>
 *   <tr><td>{@code memory.copy}, {@code memory.fill}, {@code memory.init}</td>
 *       <td>5, plus 128 per KiB (1 per 8 bytes, rounded down)</td></tr>
 *   <tr><td>{@code table.copy}, {@code table.fill}, {@code table.init}</td>
 *       <td>5, plus 1 per element</td></tr>
 *   <tr><td>{@code table.grow}</td><td>5, plus 1 per element when it succeeds</td></tr>
 *   <tr><td>a call into the host (WASI or a granted function)</td>
 *       <td>100, plus 128 per KiB copied between guest memory and the host</td></tr>
 * </table>
 *
 * <p>Each price is at most {@link #MAX_PRICE}, so that no charge can overflow a 64-bit counter.
 */
public final class CostTable {
    /** The largest price of anything. */
    public static final long MAX_PRICE = 1L << 20;

    /** The version of the metering pass; part of {@link #key()}. */
    static final String PASS_VERSION = "fuel4";

    private static final CostTable DEFAULTS = builder().build();

    private final long instruction;
    private final long call;
    private final long callIndirect;
    private final long memoryGrow;
    private final long memoryGrowPerPage;
    private final long bulkMemory;
    private final long bulkMemoryPerKiB;
    private final long bulkTable;
    private final long tableElement;
    private final long hostCall;
    private final long hostPerKiB;

    private CostTable(Builder b) {
        instruction = b.instruction;
        call = b.call;
        callIndirect = b.callIndirect;
        memoryGrow = b.memoryGrow;
        memoryGrowPerPage = b.memoryGrowPerPage;
        bulkMemory = b.bulkMemory;
        bulkMemoryPerKiB = b.bulkMemoryPerKiB;
        bulkTable = b.bulkTable;
        tableElement = b.tableElement;
        hostCall = b.hostCall;
        hostPerKiB = b.hostPerKiB;
    }

    public static CostTable defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.instruction = instruction;
        b.call = call;
        b.callIndirect = callIndirect;
        b.memoryGrow = memoryGrow;
        b.memoryGrowPerPage = memoryGrowPerPage;
        b.bulkMemory = bulkMemory;
        b.bulkMemoryPerKiB = bulkMemoryPerKiB;
        b.bulkTable = bulkTable;
        b.tableElement = tableElement;
        b.hostCall = hostCall;
        b.hostPerKiB = hostPerKiB;
        return b;
    }

    /** Any instruction not priced otherwise. */
    public long instruction() {
        return instruction;
    }

    /** {@code call} and {@code return_call}. */
    public long call() {
        return call;
    }

    /** {@code call_indirect} and {@code return_call_indirect}. */
    public long callIndirect() {
        return callIndirect;
    }

    /** {@code memory.grow} itself, whether it succeeds or not. */
    public long memoryGrow() {
        return memoryGrow;
    }

    /** Each 64 KiB page that {@code memory.grow} adds. */
    public long memoryGrowPerPage() {
        return memoryGrowPerPage;
    }

    /** {@code memory.copy}, {@code memory.fill} and {@code memory.init} themselves. */
    public long bulkMemory() {
        return bulkMemory;
    }

    /** Each KiB those three move or write: {@code bytes * price / 1024}, rounded down. */
    public long bulkMemoryPerKiB() {
        return bulkMemoryPerKiB;
    }

    /** {@code table.copy}, {@code table.fill}, {@code table.init} and {@code table.grow}. */
    public long bulkTable() {
        return bulkTable;
    }

    /** Each element those four write (for {@code table.grow}, only when it succeeds). */
    public long tableElement() {
        return tableElement;
    }

    /** Each call into the host, allowed or denied. */
    public long hostCall() {
        return hostCall;
    }

    /** Each KiB a host call copies between guest memory and the host, rounded down. */
    public long hostPerKiB() {
        return hostPerKiB;
    }

    /**
     * The price of one instruction of {@link Decoder} kind {@code kind}: structure ({@code block},
     * {@code loop}, {@code else}, {@code end}) is free, calls, growth and bulk instructions have
     * their own base prices, everything else costs {@link #instruction()}.
     */
    long price(int kind) {
        switch (kind) {
            case Decoder.BLOCK:
            case Decoder.LOOP:
            case Decoder.ELSE:
            case Decoder.END:
                return 0;
            case Decoder.CALL:
                return call();
            case Decoder.CALL_INDIRECT:
                return callIndirect();
            case Decoder.MEMORY_GROW:
                return memoryGrow();
            case Decoder.BULK_MEMORY:
                return bulkMemory();
            case Decoder.BULK_TABLE:
            case Decoder.TABLE_GROW:
                return bulkTable();
            default:
                return instruction();
        }
    }

    /** A stable text naming the pass version and every price: the cache key of metered code. */
    public String key() {
        return PASS_VERSION
                + ";i="
                + instruction
                + ";c="
                + call
                + ";ci="
                + callIndirect
                + ";mg="
                + memoryGrow
                + "+"
                + memoryGrowPerPage
                + "/page;bm="
                + bulkMemory
                + "+"
                + bulkMemoryPerKiB
                + "/KiB;bt="
                + bulkTable
                + "+"
                + tableElement
                + "/elem;h="
                + hostCall
                + "+"
                + hostPerKiB
                + "/KiB";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostTable && ((CostTable) o).key().equals(key());
    }

    @Override
    public int hashCode() {
        return Objects.hash(key());
    }

    @Override
    public String toString() {
        return "CostTable{" + key() + "}";
    }

    /** Builds a {@link CostTable}; each setter rejects a price below 0 or above MAX_PRICE. */
    public static final class Builder {
        private long instruction = 1;
        private long call = 5;
        private long callIndirect = 10;
        private long memoryGrow = 10;
        private long memoryGrowPerPage = 1024;
        private long bulkMemory = 5;
        private long bulkMemoryPerKiB = 128;
        private long bulkTable = 5;
        private long tableElement = 1;
        private long hostCall = 100;
        private long hostPerKiB = 128;

        private Builder() {}

        private static long check(String what, long price) {
            if (price < 0 || price > MAX_PRICE) {
                throw new IllegalArgumentException(
                        what + " price must be between 0 and " + MAX_PRICE + ": " + price);
            }
            return price;
        }

        public Builder instruction(long price) {
            instruction = check("instruction", price);
            return this;
        }

        public Builder call(long price) {
            call = check("call", price);
            return this;
        }

        public Builder callIndirect(long price) {
            callIndirect = check("call_indirect", price);
            return this;
        }

        public Builder memoryGrow(long price) {
            memoryGrow = check("memory.grow", price);
            return this;
        }

        public Builder memoryGrowPerPage(long price) {
            memoryGrowPerPage = check("memory.grow page", price);
            return this;
        }

        public Builder bulkMemory(long price) {
            bulkMemory = check("bulk memory", price);
            return this;
        }

        public Builder bulkMemoryPerKiB(long price) {
            bulkMemoryPerKiB = check("bulk memory KiB", price);
            return this;
        }

        public Builder bulkTable(long price) {
            bulkTable = check("bulk table", price);
            return this;
        }

        public Builder tableElement(long price) {
            tableElement = check("table element", price);
            return this;
        }

        public Builder hostCall(long price) {
            hostCall = check("host call", price);
            return this;
        }

        public Builder hostPerKiB(long price) {
            hostPerKiB = check("host KiB", price);
            return this;
        }

        public CostTable build() {
            return new CostTable(this);
        }
    }
}
