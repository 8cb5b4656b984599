package dev.airlock.core.link;

import dev.airlock.core.fuel.ByteWriter;
import java.nio.charset.StandardCharsets;

/** The merged module's sections, in order. */
final class Sections {
    private final ByteWriter out = new ByteWriter(1 << 16);

    Sections() {
        out.bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, 8);
    }

    void add(int id, ByteWriter content) {
        out.u8(id).u32(content.size()).bytes(content);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static void name(ByteWriter w, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        w.u32(b.length).bytes(b, 0, b.length);
    }
}
