package dev.airlock.components.abi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.components.types.WitType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers JSON values (already {@linkplain JsonCheck checked}) into a callee: as flat core values
 * (raw bits: i32 and f32 in the low 32 bits, zero-extended) or stored in its memory, allocating
 * strings and lists with its realloc.
 */
public final class Lower {
    private final Layout layout;
    private final AbiContext cx;

    public Lower(Layout layout, AbiContext cx) {
        this.layout = layout;
        this.cx = cx;
    }

    /** Appends the flat values of {@code v}. */
    public void flat(JsonNode v, WitType t, List<Long> out) {
        if (t instanceof WitType.Prim p) {
            switch (p) {
                case STRING -> {
                    long[] pl = string(v.asText());
                    out.add(pl[0]);
                    out.add(pl[1]);
                }
                default -> out.add(primBits(v, p));
            }
        } else if (t instanceof WitType.ListOf l) {
            long[] pl = list(v, l.element());
            out.add(pl[0]);
            out.add(pl[1]);
        } else if (t instanceof WitType.Record r) {
            r.fields().forEach(f -> flat(v.get(f.name()), f.type(), out));
        } else if (t instanceof WitType.Tuple tu) {
            for (int i = 0; i < tu.types().size(); i++) {
                flat(v.get(i), tu.types().get(i), out);
            }
        } else if (t instanceof WitType.Flags f) {
            out.add(flags(v, f) & 0xFFFF_FFFFL);
        } else if (t instanceof WitType.Enum e) {
            out.add((long) e.names().indexOf(v.asText()));
        } else if (t instanceof WitType.Own o) {
            out.add(cx.lowerOwn(o.resource(), v.asLong()) & 0xFFFF_FFFFL);
        } else if (t instanceof WitType.Borrow b) {
            out.add(cx.lowerBorrow(b.resource(), v.asLong()) & 0xFFFF_FFFFL);
        } else {
            Chosen c = choose(v, t);
            int width = layout.flatCount(t) - 1;
            out.add((long) c.index);
            List<Long> payload = new ArrayList<>();
            if (c.type != null) {
                flat(c.value, c.type, payload);
            }
            out.addAll(payload);
            for (int i = payload.size(); i < width; i++) {
                out.add(0L);
            }
        }
    }

    /** Stores {@code v} at {@code ptr} (aligned, in bounds). */
    public void store(JsonNode v, WitType t, long ptr) {
        ByteBuffer buf = buffer(layout.size(t));
        put(v, t, buf, 0);
        cx.write(ptr, buf.array());
    }

    private static ByteBuffer buffer(long size) {
        return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void put(JsonNode v, WitType t, ByteBuffer b, int off) {
        if (t instanceof WitType.Prim p) {
            switch (p) {
                case BOOL, S8, U8 -> b.put(off, (byte) primBits(v, p));
                case S16, U16 -> b.putShort(off, (short) primBits(v, p));
                case S32, U32, F32, CHAR -> b.putInt(off, (int) primBits(v, p));
                case S64, U64, F64 -> b.putLong(off, primBits(v, p));
                case STRING -> {
                    long[] pl = string(v.asText());
                    b.putInt(off, (int) pl[0]);
                    b.putInt(off + 4, (int) pl[1]);
                }
            }
        } else if (t instanceof WitType.ListOf l) {
            long[] pl = list(v, l.element());
            b.putInt(off, (int) pl[0]);
            b.putInt(off + 4, (int) pl[1]);
        } else if (t instanceof WitType.Record r) {
            long o = 0;
            for (WitType.Field f : r.fields()) {
                o = Layout.alignTo(o, layout.align(f.type()));
                put(v.get(f.name()), f.type(), b, off + (int) o);
                o += layout.size(f.type());
            }
        } else if (t instanceof WitType.Tuple tu) {
            long o = 0;
            for (int i = 0; i < tu.types().size(); i++) {
                WitType ft = tu.types().get(i);
                o = Layout.alignTo(o, layout.align(ft));
                put(v.get(i), ft, b, off + (int) o);
                o += layout.size(ft);
            }
        } else if (t instanceof WitType.Flags f) {
            int bits = flags(v, f);
            switch ((int) layout.size(t)) {
                case 1 -> b.put(off, (byte) bits);
                case 2 -> b.putShort(off, (short) bits);
                default -> b.putInt(off, bits);
            }
        } else if (t instanceof WitType.Enum e) {
            discriminant(b, off, e.names().size(), e.names().indexOf(v.asText()));
        } else if (t instanceof WitType.Own o) {
            b.putInt(off, cx.lowerOwn(o.resource(), v.asLong()));
        } else if (t instanceof WitType.Borrow bo) {
            b.putInt(off, cx.lowerBorrow(bo.resource(), v.asLong()));
        } else {
            List<WitType> cases = Layout.cases(t);
            Chosen c = choose(v, t);
            discriminant(b, off, cases.size(), c.index);
            if (c.type != null) {
                int payloadAlign = 1;
                for (WitType ct : cases) {
                    if (ct != null) {
                        payloadAlign = Math.max(payloadAlign, layout.align(ct));
                    }
                }
                long at = Layout.alignTo(Layout.discriminantSize(cases.size()), payloadAlign);
                put(c.value, c.type, b, off + (int) at);
            }
        }
    }

    private static void discriminant(ByteBuffer b, int off, int cases, int index) {
        switch (Layout.discriminantSize(cases)) {
            case 1 -> b.put(off, (byte) index);
            case 2 -> b.putShort(off, (short) index);
            default -> b.putInt(off, index);
        }
    }

    private record Chosen(int index, WitType type, JsonNode value) {}

    private static Chosen choose(JsonNode v, WitType t) {
        if (t instanceof WitType.Option o) {
            if (v.isNull()) {
                return new Chosen(0, null, null);
            }
            return new Chosen(1, o.type(), o.type() instanceof WitType.Option ? v.get("some") : v);
        }
        if (t instanceof WitType.Result r) {
            return v.has("ok")
                    ? new Chosen(0, r.ok(), v.get("ok"))
                    : new Chosen(1, r.error(), v.get("error"));
        }
        WitType.Variant va = (WitType.Variant) t;
        String name = v.isTextual() ? v.asText() : v.fieldNames().next();
        for (int i = 0; i < va.cases().size(); i++) {
            WitType.Field c = va.cases().get(i);
            if (c.name().equals(name)) {
                return new Chosen(i, c.type(), v.isTextual() ? null : v.get(name));
            }
        }
        throw new IllegalStateException("unchecked case " + name);
    }

    private static int flags(JsonNode v, WitType.Flags f) {
        int bits = 0;
        for (JsonNode n : v) {
            bits |= 1 << f.names().indexOf(n.asText());
        }
        return bits;
    }

    /** Raw bits of a primitive other than string. */
    static long primBits(JsonNode v, WitType.Prim p) {
        return switch (p) {
            case BOOL -> v.asBoolean() ? 1 : 0;
            case S8, U8, S16, U16, S32, U32 -> v.asLong() & 0xFFFF_FFFFL;
            case S64 -> v.asLong();
            case U64 -> v.bigIntegerValue().longValue();
            case F32 -> Float.floatToRawIntBits(maybeNan((float) number(v))) & 0xFFFF_FFFFL;
            case F64 -> Double.doubleToRawLongBits(maybeNan(number(v)));
            case CHAR -> v.asText().codePointAt(0);
            case STRING -> throw new IllegalArgumentException("string");
        };
    }

    private static float maybeNan(float f) {
        return Float.isNaN(f) ? Float.intBitsToFloat(0x7fc00000) : f;
    }

    private static double maybeNan(double d) {
        return Double.isNaN(d) ? Double.longBitsToDouble(0x7ff8000000000000L) : d;
    }

    private static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            };
        }
        return v.asDouble();
    }

    /** Allocates and writes a string; returns {ptr, length as the callee reads it}. */
    long[] string(String s) {
        switch (cx.encoding()) {
            case UTF8 -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                long ptr = cx.realloc(0, 0, 1, b.length);
                cx.write(ptr, b);
                return new long[] {ptr, b.length};
            }
            case UTF16 -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_16LE);
                long ptr = cx.realloc(0, 0, 2, b.length);
                cx.write(ptr, b);
                return new long[] {ptr, s.length()};
            }
            default -> {
                boolean latin1 = s.chars().allMatch(c -> c < 256);
                if (latin1) {
                    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                    long ptr = cx.realloc(0, 0, 2, b.length);
                    cx.write(ptr, b);
                    return new long[] {ptr, b.length};
                }
                byte[] b = s.getBytes(StandardCharsets.UTF_16LE);
                long ptr = cx.realloc(0, 0, 2, b.length);
                cx.write(ptr, b);
                return new long[] {ptr, (s.length() | (1L << 31)) & 0xFFFF_FFFFL};
            }
        }
    }

    /** Allocates and writes a list; returns {ptr, length}. */
    long[] list(JsonNode v, WitType element) {
        long size = layout.size(element);
        long total = size * v.size();
        if (total > Integer.MAX_VALUE) {
            throw new AbiTrap("list too large to pass: " + total + " bytes");
        }
        long ptr = cx.realloc(0, 0, layout.align(element), total);
        ByteBuffer buf = buffer(total);
        int i = 0;
        for (JsonNode e : v) {
            put(e, element, buf, (int) (i++ * size));
        }
        cx.write(ptr, buf.array());
        return new long[] {ptr, v.size()};
    }
}
