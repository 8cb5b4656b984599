package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.ByteWriter;
import java.util.List;

/** Writes the module the {@link Splitter} made: its edited sections, the others as they were. */
final class ModuleWriter {
    private ModuleWriter() {}

    /**
     * The module {@code m} with its types, functions and code replaced by the model's and the
     * bodies', and the spill globals added to its global section (made where it has none); every
     * other section copied byte for byte.
     */
    static byte[] write(
            byte[] m,
            List<Splitter.Section> sections,
            Splitter.Model model,
            List<Body> bodies,
            Spills spills) {
        ByteWriter out = new ByteWriter(m.length + m.length / 4 + 64);
        out.bytes(m, 0, 8);
        boolean globals = spills.count() == 0;
        for (Splitter.Section s : sections) {
            if (!globals && s.id() != 0 && rank(s.id()) > rank(6)) {
                ByteWriter w = new ByteWriter(64);
                w.u32(spills.count());
                spills.write(w);
                section(out, 6, w);
                globals = true;
            }
            if (s.id() == 6 && !globals) {
                ByteReader r = new ByteReader(m, s.start(), s.end());
                int n = r.count();
                ByteWriter w = new ByteWriter(s.end() - s.start() + 64);
                w.u32((long) n + spills.count()).bytes(m, r.pos(), s.end());
                spills.write(w);
                section(out, 6, w);
                globals = true;
            } else if (s.id() == 1) {
                ByteWriter w = new ByteWriter(s.end() - s.start() + 64);
                w.u32(model.params.size());
                for (int i = 0; i < model.params.size(); i++) {
                    w.u8(0x60);
                    vec(w, model.params.get(i));
                    vec(w, model.results.get(i));
                }
                section(out, 1, w);
            } else if (s.id() == 3) {
                ByteWriter w = new ByteWriter(s.end() - s.start() + 64);
                w.u32(bodies.size());
                for (int i = 0; i < bodies.size(); i++) {
                    w.u32(model.funcTypes.get(model.imported + i));
                }
                section(out, 3, w);
            } else if (s.id() == 10) {
                ByteWriter w = new ByteWriter(s.end() - s.start() + s.end() / 4 + 64);
                w.u32(bodies.size());
                for (Body b : bodies) {
                    ByteWriter f = b.encode();
                    w.u32(f.size()).bytes(f);
                }
                section(out, 10, w);
            } else {
                out.u8(s.id()).u32(s.end() - s.start()).bytes(m, s.start(), s.end());
            }
        }
        if (!globals) {
            ByteWriter w = new ByteWriter(64);
            w.u32(spills.count());
            spills.write(w);
            section(out, 6, w);
        }
        return out.toByteArray();
    }

    /** Where a section goes in a module: its id, except for those that come out of order. */
    private static int rank(int id) {
        switch (id) {
            case 13:
                return 55; // tags: between memory and global
            case 6:
                return 60;
            case 12:
                return 95; // data count: between element and code
            case 10:
                return 100;
            case 11:
                return 110;
            default:
                return id * 10;
        }
    }

    private static void vec(ByteWriter w, byte[] v) {
        w.u32(v.length);
        w.bytes(v, 0, v.length);
    }

    private static void section(ByteWriter out, int id, ByteWriter payload) {
        out.u8(id).u32(payload.size()).bytes(payload);
    }
}
