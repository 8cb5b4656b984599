package dev.airlock.core.fuel;

/**
 * A metered module made ready for another engine (a browser's, Node's): its fuel global starts at
 * the budget instead of 0 and is exported as {@link #NAME}, so that a host which charges host calls
 * as Airlock's mediator does reads the same fuel use as Airlock from that global.
 */
public final class FuelExport {
    /** The export name of the fuel global: a mutable i64, the fuel left (negative: exhausted). */
    public static final String NAME = "airlock:fuel";

    private static final int EXPORT = 7;

    private FuelExport() {}

    /**
     * The metered module with its fuel global set to {@code budget} and exported.
     *
     * @throws MeteringException if the module already exports {@link #NAME}, or is not the metering
     *     pass's output
     * @throws IllegalArgumentException if {@code budget} is negative
     */
    public static byte[] of(Metered metered, long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        byte[] b = metered.bytes();
        ByteWriter out = new ByteWriter(b.length + 32);
        out.bytes(b, 0, 8);
        ByteReader r = new ByteReader(b, 8, b.length);
        boolean exported = false;
        boolean globals = false;
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.count();
            int start = r.pos();
            r.skip(size);
            int end = start + size;
            if (id == 6) {
                if (size < 4 || b[end - 3] != 0x42 || b[end - 2] != 0 || b[end - 1] != 0x0B) {
                    throw new MeteringException("not a metered module: no fuel global at the end");
                }
                ByteWriter p = new ByteWriter(size + 10);
                p.bytes(b, start, end - 2).s64(budget).u8(0x0B);
                Metering.writeSection(out, 6, p);
                globals = true;
            } else if (id == EXPORT) {
                Metering.writeSection(out, EXPORT, exports(b, start, end, metered.fuelGlobal()));
                exported = true;
            } else {
                if (!exported && id != 0 && Metering.rank(id) > Metering.rank(EXPORT)) {
                    Metering.writeSection(out, EXPORT, exports(b, 0, 0, metered.fuelGlobal()));
                    exported = true;
                }
                out.u8(id).u32(size).bytes(b, start, end);
            }
        }
        if (!globals) {
            throw new MeteringException("not a metered module: no global section");
        }
        if (!exported) {
            Metering.writeSection(out, EXPORT, exports(b, 0, 0, metered.fuelGlobal()));
        }
        return out.toByteArray();
    }

    /** The export section's entries (none when {@code start == end}) plus the fuel global's. */
    private static ByteWriter exports(byte[] b, int start, int end, int global) {
        byte[] name = NAME.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteWriter p = new ByteWriter(end - start + name.length + 8);
        int n = 0;
        int from = start;
        if (end > start) {
            ByteReader e = new ByteReader(b, start, end);
            n = e.count();
            from = e.pos();
            for (int i = 0; i < n; i++) {
                int len = e.count();
                int at = e.pos();
                e.skip(len);
                if (len == name.length && java.util.Arrays.equals(b, at, at + len, name, 0, len)) {
                    throw new MeteringException("the module already exports " + NAME);
                }
                e.u8();
                e.u32();
            }
        }
        p.u32((long) n + 1).bytes(b, from, end);
        p.u32(name.length).bytes(name, 0, name.length).u8(3).u32(global);
        return p;
    }
}
