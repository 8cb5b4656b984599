package dev.airlock.cli.compile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The WAT of a compiled skill's guest: the template {@code nn-skill.wat} (in this package's
 * resources) with the model's layout filled in (see the template's memory map).
 */
final class Guest {
    static final int MAX_PORTS = 16;
    private static final int HEADER = 0x100;
    private static final int INPUTS = 0x200;
    private static final int OUTPUTS = 0xa00;
    private static final int LAYOUT_END = 0xc00;
    private static final int STRINGS = 0x1000;

    private Guest() {}

    /**
     * The guest's text.
     *
     * @param labelled the index of the output that {@code labels} name the classes of, or -1
     * @param normalize {mean, std} for float inputs, or {@code null}
     */
    static String wat(
            String model,
            List<Port> inputs,
            List<Port> outputs,
            float[] normalize,
            int labelled,
            List<String> labels) {
        ByteBuffer head = ByteBuffer.allocate(LAYOUT_END - HEADER).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        head.putInt(0, inputs.size()).putInt(4, outputs.size());
        if (normalize != null) {
            head.putInt(8, 1).putFloat(12, normalize[0]).putFloat(16, normalize[1]);
        }
        head.putInt(0x14, labelled).putInt(0x18, labels.size());
        int[] name = string(strings, model);
        head.putInt(0x20, name[0]).putInt(0x24, name[1]);
        for (int i = 0; i < inputs.size(); i++) {
            Port p = inputs.get(i);
            int at = INPUTS - HEADER + 128 * i;
            int[] key = string(strings, p.name());
            head.putInt(at, key[0]).putInt(at + 4, key[1]);
            head.putInt(at + 8, p.tag()).putInt(at + 12, p.shape().length);
        }
        for (int i = 0; i < outputs.size(); i++) {
            Port p = outputs.get(i);
            int at = OUTPUTS - HEADER + 32 * i;
            int[] key = string(strings, p.name());
            head.putInt(at, key[0]).putInt(at + 4, key[1]).putInt(at + 8, p.tag());
        }
        int[][] texts = new int[labels.size()][];
        for (int i = 0; i < labels.size(); i++) {
            texts[i] = string(strings, Json.escape(labels.get(i)));
        }
        while (strings.size() % 8 != 0) {
            strings.write(0);
        }
        head.putInt(0x1c, STRINGS + strings.size());
        for (int[] t : texts) {
            ByteBuffer pair = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            strings.writeBytes(pair.putInt(t[0]).putInt(t[1]).array());
        }
        int heap = (STRINGS + strings.size() + 15) & ~7;
        String layout =
                "  (data (i32.const 0x100) "
                        + literal(head.array())
                        + ")\n  (data (i32.const 0x1000) "
                        + literal(strings.toByteArray())
                        + ")";
        return template()
                .replace("@LAYOUT@", layout)
                .replace("@HEAP@", Integer.toString(heap))
                .replace("@PAGES@", Integer.toString(heap / 65536 + 2));
    }

    /** Appends the UTF-8 bytes of {@code s}; returns {address, length}. */
    private static int[] string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int at = STRINGS + out.size();
        out.writeBytes(b);
        return new int[] {at, b.length};
    }

    private static String literal(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : bytes) {
            s.append(String.format("\\%02x", b & 0xff));
        }
        return s.append('"').toString();
    }

    private static String template() {
        try (InputStream in = Guest.class.getResourceAsStream("nn-skill.wat")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON string escaping. */
    static final class Json {
        private Json() {}

        static String escape(String s) {
            StringBuilder b = new StringBuilder();
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }
}
