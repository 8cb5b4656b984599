package dev.airlock.core.link;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.MeteringException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Copies element and data segments into the merged module. Active element segments are always
 * written with their table index (forms 2 and 6), since a part's table 0 need not be the merged
 * module's.
 */
final class Segments {
    private Segments() {}

    static ByteWriter elements(List<Parsed> mods, IntFunction<Code.Maps> maps) {
        ByteWriter s = new ByteWriter(256);
        int n = 0;
        for (Parsed m : mods) {
            n += m.elementCount;
        }
        s.u32(n);
        for (int p = 0; p < mods.size(); p++) {
            Parsed m = mods.get(p);
            if (m.elements == null) {
                continue;
            }
            Code.Maps map = maps.apply(p);
            ByteReader r = new ByteReader(m.bytes, m.elements.from(), m.elements.to());
            for (int i = 0; i < m.elementCount; i++) {
                element(m.bytes, r, s, map);
            }
            if (!r.atEnd()) {
                throw new MeteringException("malformed: element section too long");
            }
        }
        return s;
    }

    private static void element(byte[] b, ByteReader r, ByteWriter s, Code.Maps map) {
        int flags = (int) r.u32();
        if (flags > 7) {
            throw new MeteringException("malformed: element segment flags " + flags);
        }
        boolean exprs = (flags & 4) != 0;
        boolean active = (flags & 1) == 0;
        if (active) {
            int table = (flags & 2) != 0 ? r.count() : 0;
            s.u32(exprs ? 6 : 2).u32(map.table(table));
            Code.expression(b, r, s, map);
            if ((flags & 2) != 0) {
                kind(r, s, exprs);
            } else {
                s.u8(exprs ? 0x70 : 0x00);
            }
        } else {
            s.u32(flags);
            kind(r, s, exprs);
        }
        int n = r.count();
        s.u32(n);
        for (int i = 0; i < n; i++) {
            if (exprs) {
                Code.expression(b, r, s, map);
            } else {
                s.u32(map.func(r.count()));
            }
        }
    }

    private static void kind(ByteReader r, ByteWriter s, boolean exprs) {
        int k = r.u8();
        if (exprs ? k != 0x70 && k != 0x6F : k != 0x00) {
            throw new MeteringException("unsupported: element kind 0x" + Integer.toHexString(k));
        }
        s.u8(k);
    }

    static ByteWriter data(List<Parsed> mods, IntFunction<Code.Maps> maps) {
        ByteWriter s = new ByteWriter(1 << 12);
        int n = 0;
        for (Parsed m : mods) {
            n += m.dataCount;
        }
        s.u32(n);
        for (int p = 0; p < mods.size(); p++) {
            Parsed m = mods.get(p);
            if (m.data == null) {
                continue;
            }
            Code.Maps map = maps.apply(p);
            ByteReader r = new ByteReader(m.bytes, m.data.from(), m.data.to());
            for (int i = 0; i < m.dataCount; i++) {
                int flags = (int) r.u32();
                if (flags == 1) {
                    s.u32(1);
                } else if (flags == 0 || flags == 2) {
                    if (flags == 2 && r.u32() != 0) {
                        throw new MeteringException("unsupported: data for a second memory");
                    }
                    s.u32(0);
                    Code.expression(m.bytes, r, s, map);
                } else {
                    throw new MeteringException("malformed: data segment flags " + flags);
                }
                int len = r.count();
                int at = r.pos();
                r.skip(len);
                s.u32(len).bytes(m.bytes, at, at + len);
            }
            if (!r.atEnd()) {
                throw new MeteringException("malformed: data section too long");
            }
        }
        return s;
    }
}
