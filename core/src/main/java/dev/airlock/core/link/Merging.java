package dev.airlock.core.link;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.MeteringException;
import dev.airlock.core.link.Merger.Export;
import dev.airlock.core.link.Merger.Host;
import dev.airlock.core.link.Merger.LinkException;
import dev.airlock.core.link.Merger.Part;
import dev.airlock.core.link.Merger.Source;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One merge of {@link Merger}: the parts read, their index spaces laid out, the module written. */
final class Merging {
    private final List<Part> parts;
    private final List<Parsed> mods = new ArrayList<>();
    private final List<byte[]> types = new ArrayList<>();
    private final Map<ByteBuffer, Integer> typeIndex = new HashMap<>();
    private final Map<List<String>, Integer> hostIndex = new LinkedHashMap<>();
    private final List<Integer> hostTypes = new ArrayList<>();
    private final List<int[]> typeMaps = new ArrayList<>();
    private final List<int[][]> maps = new ArrayList<>();
    private final int[] elemBase;
    private final int[] dataBase;
    private final List<Integer> starts = new ArrayList<>();
    private int startType = -1;

    Merging(List<Part> parts) throws LinkException {
        this.parts = parts;
        for (Part p : parts) {
            mods.add(new Parsed(p.module()));
        }
        for (Parsed m : mods) {
            int[] tm = new int[m.types.size()];
            for (int i = 0; i < tm.length; i++) {
                tm[i] = type(m.types.get(i));
            }
            typeMaps.add(tm);
        }
        hostImports();
        int[] defined = new int[4];
        int memories = 0;
        elemBase = new int[mods.size()];
        dataBase = new int[mods.size()];
        int elems = 0;
        int datas = 0;
        for (Parsed m : mods) {
            memories += m.memories.size();
        }
        if (memories > 1) {
            throw new LinkException("unsupported: linked core modules with several memories");
        }
        for (int p = 0; p < mods.size(); p++) {
            Parsed m = mods.get(p);
            int[][] map = new int[4][];
            for (int k = 0; k < 4; k++) {
                map[k] = new int[m.count(k)];
                int base = (k == Parsed.FUNC ? hostIndex.size() : 0) + defined[k];
                for (int i = m.imported[k]; i < map[k].length; i++) {
                    map[k][i] = base + i - m.imported[k];
                }
                defined[k] += map[k].length - m.imported[k];
            }
            int[] seen = new int[4];
            for (Parsed.Import im : m.imports) {
                map[im.kind()][seen[im.kind()]++] = resolve(p, im);
            }
            maps.add(map);
            elemBase[p] = elems;
            dataBase[p] = datas;
            elems += m.elementCount;
            datas += m.dataCount;
            if (m.start >= 0) {
                if (m.start >= map[Parsed.FUNC].length) {
                    throw new LinkException("malformed: start function out of range");
                }
                starts.add(map[Parsed.FUNC][m.start]);
            }
        }
        if (starts.size() > 1) {
            startType = type(new byte[] {0x60, 0, 0});
        }
    }

    private int type(byte[] t) {
        return typeIndex.computeIfAbsent(
                ByteBuffer.wrap(t),
                k -> {
                    types.add(t);
                    return types.size() - 1;
                });
    }

    private void hostImports() throws LinkException {
        for (int p = 0; p < mods.size(); p++) {
            Parsed m = mods.get(p);
            for (Parsed.Import im : m.imports) {
                Source s = parts.get(p).imports().resolve(im.module(), im.name());
                if (s == null) {
                    throw new LinkException(
                            "core import " + im.module() + "." + im.name() + " not supplied");
                }
                if (s instanceof Host h) {
                    if (im.kind() != Parsed.FUNC) {
                        throw new LinkException(
                                "unsupported: core import "
                                        + im.module()
                                        + "."
                                        + im.name()
                                        + " of a table, memory or global from the host");
                    }
                    checkType(m, im);
                    int t = typeMaps.get(p)[im.typeIndex()];
                    List<String> key = List.of(h.module(), h.name());
                    Integer had = hostIndex.get(key);
                    if (had == null) {
                        hostIndex.put(key, hostIndex.size());
                        hostTypes.add(t);
                    } else if (hostTypes.get(had) != t) {
                        throw new LinkException(
                                "host import " + h.module() + "." + h.name() + " has two types");
                    }
                }
            }
        }
    }

    private static void checkType(Parsed m, Parsed.Import im) throws LinkException {
        if (im.typeIndex() < 0 || im.typeIndex() >= m.types.size()) {
            throw new LinkException("malformed: import type index out of range");
        }
    }

    private int resolve(int p, Parsed.Import im) throws LinkException {
        Source s = parts.get(p).imports().resolve(im.module(), im.name());
        String what = "core import " + im.module() + "." + im.name();
        if (s instanceof Host h) {
            return hostIndex.get(List.of(h.module(), h.name()));
        }
        Export e = (Export) s;
        if (e.part() < 0 || e.part() >= p) {
            throw new LinkException(what + " names a module not instantiated before it");
        }
        Parsed.Export ex = mods.get(e.part()).exports.get(e.name());
        if (ex == null || ex.kind() != im.kind()) {
            throw new LinkException(what + " is not an export of that kind");
        }
        if (im.kind() == Parsed.FUNC) {
            checkType(mods.get(p), im);
            int want = typeMaps.get(p)[im.typeIndex()];
            int got = funcType(e.part(), ex.index());
            if (want != got) {
                throw new LinkException(what + " has another function type than the export");
            }
        }
        int[] map = maps.get(e.part())[ex.kind()];
        if (ex.index() >= map.length) {
            throw new LinkException("malformed: export index out of range");
        }
        return map[ex.index()];
    }

    /** The merged type of a part's function. */
    private int funcType(int p, int f) throws LinkException {
        Parsed m = mods.get(p);
        int t;
        if (f < m.imported[Parsed.FUNC]) {
            int seen = 0;
            t = -1;
            for (Parsed.Import im : m.imports) {
                if (im.kind() == Parsed.FUNC && seen++ == f) {
                    t = im.typeIndex();
                }
            }
        } else if (f - m.imported[Parsed.FUNC] < m.funcTypes.size()) {
            t = m.funcTypes.get(f - m.imported[Parsed.FUNC]);
        } else {
            throw new LinkException("malformed: export index out of range");
        }
        if (t < 0 || t >= m.types.size()) {
            throw new LinkException("malformed: function type index out of range");
        }
        return typeMaps.get(p)[t];
    }

    private Code.Maps maps(int p) {
        int[][] map = maps.get(p);
        int[] tm = typeMaps.get(p);
        Parsed m = mods.get(p);
        return new Code.Maps() {
            @Override
            public int func(int i) {
                return at(map[Parsed.FUNC], i, "function");
            }

            @Override
            public int type(int i) {
                return at(tm, i, "type");
            }

            @Override
            public int table(int i) {
                return at(map[Parsed.TABLE], i, "table");
            }

            @Override
            public int global(int i) {
                return at(map[Parsed.GLOBAL], i, "global");
            }

            @Override
            public int elem(int i) {
                if (i < 0 || i >= m.elementCount) {
                    throw new MeteringException("malformed: element index out of range");
                }
                return elemBase[p] + i;
            }

            @Override
            public int data(int i) {
                if (i < 0 || i >= m.dataCount) {
                    throw new MeteringException("malformed: data index out of range");
                }
                return dataBase[p] + i;
            }
        };
    }

    private static int at(int[] map, int i, String what) {
        if (i < 0 || i >= map.length) {
            throw new MeteringException("malformed: " + what + " index out of range");
        }
        return map[i];
    }

    byte[] write() {
        Sections out = new Sections();
        ByteWriter s = new ByteWriter(256);
        s.u32(types.size());
        for (byte[] t : types) {
            s.bytes(t, 0, t.length);
        }
        out.add(1, s);
        s = new ByteWriter(256);
        s.u32(hostIndex.size());
        int h = 0;
        for (List<String> key : hostIndex.keySet()) {
            Sections.name(s, key.get(0));
            Sections.name(s, key.get(1));
            s.u8(0).u32(hostTypes.get(h++));
        }
        out.add(2, s);
        s = new ByteWriter(256);
        int funcs = starts.size() > 1 ? 1 : 0;
        for (Parsed m : mods) {
            funcs += m.funcTypes.size();
        }
        s.u32(funcs);
        for (int p = 0; p < mods.size(); p++) {
            for (int t : mods.get(p).funcTypes) {
                s.u32(maps(p).type(t));
            }
        }
        if (starts.size() > 1) {
            s.u32(startType);
        }
        out.add(3, s);
        out.add(4, list(m -> m.tables));
        out.add(5, list(m -> m.memories));
        out.add(6, globals());
        out.add(7, exports());
        if (!starts.isEmpty()) {
            out.add(
                    8,
                    new ByteWriter(8)
                            .u32(starts.size() > 1 ? funcs - 1 + hostIndex.size() : starts.get(0)));
        }
        out.add(9, Segments.elements(mods, this::maps));
        int datas = 0;
        boolean dataCount = false;
        for (Parsed m : mods) {
            datas += m.dataCount;
            dataCount |= m.hasDataCount;
        }
        if (dataCount) {
            out.add(12, new ByteWriter(8).u32(datas));
        }
        out.add(10, code());
        out.add(11, Segments.data(mods, this::maps));
        return out.bytes();
    }

    private interface Items {
        List<byte[]> of(Parsed m);
    }

    private ByteWriter list(Items items) {
        ByteWriter s = new ByteWriter(64);
        int n = 0;
        for (Parsed m : mods) {
            n += items.of(m).size();
        }
        s.u32(n);
        for (Parsed m : mods) {
            for (byte[] t : items.of(m)) {
                s.bytes(t, 0, t.length);
            }
        }
        return s;
    }

    private ByteWriter globals() {
        ByteWriter s = new ByteWriter(256);
        int n = 0;
        for (Parsed m : mods) {
            n += m.globalTypes.size();
        }
        s.u32(n);
        for (int p = 0; p < mods.size(); p++) {
            Parsed m = mods.get(p);
            for (int i = 0; i < m.globalTypes.size(); i++) {
                byte[] t = m.globalTypes.get(i);
                s.bytes(t, 0, t.length);
                Parsed.Range init = m.globalInits.get(i);
                Code.expression(
                        m.bytes, new ByteReader(m.bytes, init.from(), init.to()), s, maps(p));
            }
        }
        return s;
    }

    private ByteWriter exports() {
        ByteWriter s = new ByteWriter(256);
        List<Runnable> writes = new ArrayList<>();
        int[] n = {0};
        for (int p = 0; p < mods.size(); p++) {
            int part = p;
            for (Map.Entry<String, Parsed.Export> e : mods.get(p).exports.entrySet()) {
                Parsed.Export ex = e.getValue();
                int[] map = maps.get(part)[ex.kind()];
                int index = at(map, ex.index(), "export");
                n[0]++;
                writes.add(
                        () -> {
                            Sections.name(s, Merger.exportName(part, e.getKey()));
                            s.u8(ex.kind()).u32(index);
                        });
            }
        }
        boolean memory = false;
        for (Parsed m : mods) {
            memory |= !m.memories.isEmpty();
        }
        s.u32(n[0] + (memory ? 1 : 0));
        writes.forEach(Runnable::run);
        if (memory) {
            Sections.name(s, "memory");
            s.u8(Parsed.MEMORY).u32(0);
        }
        return s;
    }

    private ByteWriter code() {
        ByteWriter s = new ByteWriter(1 << 16);
        int n = starts.size() > 1 ? 1 : 0;
        for (Parsed m : mods) {
            n += m.bodies.size();
        }
        s.u32(n);
        for (int p = 0; p < mods.size(); p++) {
            Parsed m = mods.get(p);
            Code.Maps cm = maps(p);
            for (Parsed.Range body : m.bodies) {
                ByteWriter b = new ByteWriter(body.to() - body.from() + 16);
                Code.body(m.bytes, new ByteReader(m.bytes, body.from(), body.to()), b, cm);
                s.u32(b.size()).bytes(b);
            }
        }
        if (starts.size() > 1) {
            ByteWriter b = new ByteWriter(64);
            b.u32(0);
            for (int f : starts) {
                b.u8(0x10).u32(f);
            }
            b.u8(0x0B);
            s.u32(b.size()).bytes(b);
        }
        return s;
    }
}
