package dev.airlock.components.abi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.components.types.WitType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lifts values a callee returns (flat core values or values in its memory) into JSON, with the
 * canonical ABI's checks: a string that is not valid in its encoding, a char that is not a Unicode
 * scalar value, a case or enum index out of range, or a pointer misaligned or out of bounds traps
 * ({@link AbiTrap}). At most {@code maxValues} JSON values and {@code maxStringBytes} bytes of
 * strings are made per call; more traps too, so a guest cannot make the host run out of memory.
 */
public final class Lift {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    private final Layout layout;
    private final AbiContext cx;
    private long valuesLeft;
    private long bytesLeft;

    public Lift(Layout layout, AbiContext cx, long maxValues, long maxStringBytes) {
        this.layout = layout;
        this.cx = cx;
        this.valuesLeft = maxValues;
        this.bytesLeft = maxStringBytes;
    }

    /** Flat values being read in order. */
    public static final class Cursor {
        private final long[] values;
        private int pos;

        public Cursor(long[] values) {
            this.values = values;
        }

        long next() {
            if (pos >= values.length) {
                throw new AbiTrap("too few core results");
            }
            return values[pos++];
        }
    }

    private void count() {
        if (--valuesLeft < 0) {
            throw new AbiTrap("the returned value is too large (too many values)");
        }
    }

    /** Lifts a value from flat core values. */
    public JsonNode flat(Cursor c, WitType t) {
        count();
        if (t instanceof WitType.Prim p) {
            if (p == WitType.Prim.STRING) {
                long ptr = c.next() & 0xFFFF_FFFFL;
                return string(ptr, c.next() & 0xFFFF_FFFFL);
            }
            return prim(p, c.next());
        }
        if (t instanceof WitType.ListOf l) {
            long ptr = c.next() & 0xFFFF_FFFFL;
            return list(ptr, c.next() & 0xFFFF_FFFFL, l.element());
        }
        if (t instanceof WitType.Record r) {
            ObjectNode o = J.objectNode();
            r.fields().forEach(f -> o.set(f.name(), flat(c, f.type())));
            return o;
        }
        if (t instanceof WitType.Tuple tu) {
            ArrayNode a = J.arrayNode();
            tu.types().forEach(x -> a.add(flat(c, x)));
            return a;
        }
        if (t instanceof WitType.Flags f) {
            return flags((int) c.next(), f);
        }
        if (t instanceof WitType.Enum e) {
            return J.textNode(e.names().get(index(c.next(), e.names().size(), "enum")));
        }
        if (t instanceof WitType.Own o) {
            return J.numberNode(cx.liftOwn(o.resource(), (int) c.next()));
        }
        if (t instanceof WitType.Borrow bo) {
            return J.numberNode(cx.liftBorrow(bo.resource(), (int) c.next()));
        }
        List<WitType> cases = Layout.cases(t);
        int width = layout.flatCount(t) - 1;
        int i = index(c.next(), cases.size(), "case");
        long[] payload = new long[width];
        for (int k = 0; k < width; k++) {
            payload[k] = c.next();
        }
        WitType ct = cases.get(i);
        JsonNode value = ct == null ? J.nullNode() : flat(new Cursor(payload), ct);
        return variant(t, i, value);
    }

    private JsonNode variant(WitType t, int i, JsonNode value) {
        if (t instanceof WitType.Option o) {
            if (i == 0) {
                return J.nullNode();
            }
            return o.type() instanceof WitType.Option ? J.objectNode().set("some", value) : value;
        }
        if (t instanceof WitType.Result) {
            return J.objectNode().set(i == 0 ? "ok" : "error", value);
        }
        WitType.Variant v = (WitType.Variant) t;
        return J.objectNode().set(v.cases().get(i).name(), value);
    }

    private static int index(long raw, int n, String what) {
        long i = raw & 0xFFFF_FFFFL;
        if (i >= n) {
            throw new AbiTrap(what + " index " + i + " out of range (" + n + ")");
        }
        return (int) i;
    }

    private JsonNode flags(int bits, WitType.Flags f) {
        ArrayNode a = J.arrayNode();
        for (int i = 0; i < f.names().size(); i++) {
            if ((bits & (1 << i)) != 0) {
                count();
                a.add(f.names().get(i));
            }
        }
        return a;
    }

    static JsonNode prim(WitType.Prim p, long raw) {
        return switch (p) {
            case BOOL -> J.booleanNode((int) raw != 0);
            case S8 -> J.numberNode((byte) raw);
            case U8 -> J.numberNode(raw & 0xFF);
            case S16 -> J.numberNode((short) raw);
            case U16 -> J.numberNode(raw & 0xFFFF);
            case S32 -> J.numberNode((int) raw);
            case U32 -> J.numberNode(raw & 0xFFFF_FFFFL);
            case S64 -> J.numberNode(raw);
            case U64 ->
                    raw >= 0
                            ? J.numberNode(raw)
                            : J.numberNode(new BigInteger(Long.toUnsignedString(raw)));
            case F32 -> floatNode(Float.intBitsToFloat((int) raw));
            case F64 -> doubleNode(Double.longBitsToDouble(raw));
            case CHAR -> {
                long cp = raw & 0xFFFF_FFFFL;
                if (cp >= 0x110000 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    throw new AbiTrap("invalid char 0x" + Long.toHexString(cp));
                }
                yield J.textNode(new String(Character.toChars((int) cp)));
            }
            case STRING -> throw new IllegalArgumentException("string");
        };
    }

    private static JsonNode floatNode(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return special(f);
        }
        return J.numberNode(f);
    }

    private static JsonNode doubleNode(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return special(d);
        }
        return J.numberNode(d);
    }

    private static JsonNode special(double d) {
        return J.textNode(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
    }

    /** Lifts a value stored at {@code ptr}. */
    public JsonNode load(long ptr, WitType t) {
        long size = layout.size(t);
        checkRange(ptr, size, layout.align(t));
        ByteBuffer b = ByteBuffer.wrap(cx.read(ptr, (int) size)).order(ByteOrder.LITTLE_ENDIAN);
        return get(b, 0, t);
    }

    private void checkRange(long ptr, long size, int align) {
        if (size > Integer.MAX_VALUE) {
            throw new AbiTrap("out-of-bounds: " + size + " bytes is more than any memory holds");
        }
        if (ptr % align != 0) {
            throw new AbiTrap("pointer 0x" + Long.toHexString(ptr) + " not aligned to " + align);
        }
        if (ptr + size > cx.memorySize()) {
            throw new AbiTrap(
                    "out-of-bounds: "
                            + size
                            + " bytes at 0x"
                            + Long.toHexString(ptr)
                            + " in memory");
        }
    }

    private JsonNode get(ByteBuffer b, int off, WitType t) {
        count();
        if (t instanceof WitType.Prim p) {
            return switch (p) {
                case BOOL -> J.booleanNode(b.get(off) != 0);
                case S8, U8 -> prim(p, b.get(off));
                case S16, U16 -> prim(p, b.getShort(off));
                case S32, U32, F32, CHAR -> prim(p, b.getInt(off));
                case S64, U64, F64 -> prim(p, b.getLong(off));
                case STRING ->
                        string(b.getInt(off) & 0xFFFF_FFFFL, b.getInt(off + 4) & 0xFFFF_FFFFL);
            };
        }
        if (t instanceof WitType.ListOf l) {
            return list(
                    b.getInt(off) & 0xFFFF_FFFFL, b.getInt(off + 4) & 0xFFFF_FFFFL, l.element());
        }
        if (t instanceof WitType.Record r) {
            ObjectNode o = J.objectNode();
            long at = 0;
            for (WitType.Field f : r.fields()) {
                at = Layout.alignTo(at, layout.align(f.type()));
                o.set(f.name(), get(b, off + (int) at, f.type()));
                at += layout.size(f.type());
            }
            return o;
        }
        if (t instanceof WitType.Tuple tu) {
            ArrayNode a = J.arrayNode();
            long at = 0;
            for (WitType ft : tu.types()) {
                at = Layout.alignTo(at, layout.align(ft));
                a.add(get(b, off + (int) at, ft));
                at += layout.size(ft);
            }
            return a;
        }
        if (t instanceof WitType.Flags f) {
            int size = (int) layout.size(t);
            int bits =
                    size == 1
                            ? b.get(off) & 0xFF
                            : size == 2 ? b.getShort(off) & 0xFFFF : b.getInt(off);
            return flags(bits, f);
        }
        if (t instanceof WitType.Enum e) {
            return J.textNode(
                    e.names().get(index(disc(b, off, e.names().size()), e.names().size(), "enum")));
        }
        if (t instanceof WitType.Own o) {
            return J.numberNode(cx.liftOwn(o.resource(), b.getInt(off)));
        }
        if (t instanceof WitType.Borrow bo) {
            return J.numberNode(cx.liftBorrow(bo.resource(), b.getInt(off)));
        }
        List<WitType> cases = Layout.cases(t);
        int i = index(disc(b, off, cases.size()), cases.size(), "case");
        WitType ct = cases.get(i);
        JsonNode value = J.nullNode();
        if (ct != null) {
            int payloadAlign = 1;
            for (WitType c : cases) {
                if (c != null) {
                    payloadAlign = Math.max(payloadAlign, layout.align(c));
                }
            }
            long at = Layout.alignTo(Layout.discriminantSize(cases.size()), payloadAlign);
            value = get(b, off + (int) at, ct);
        }
        return variant(t, i, value);
    }

    private static long disc(ByteBuffer b, int off, int cases) {
        return switch (Layout.discriminantSize(cases)) {
            case 1 -> b.get(off) & 0xFF;
            case 2 -> b.getShort(off) & 0xFFFF;
            default -> b.getInt(off) & 0xFFFF_FFFFL;
        };
    }

    private JsonNode list(long ptr, long length, WitType element) {
        long size = layout.size(element);
        long total = size * length;
        checkRange(ptr, total, layout.align(element));
        if (length > valuesLeft) {
            throw new AbiTrap("the returned value is too large (list of " + length + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(cx.read(ptr, (int) total)).order(ByteOrder.LITTLE_ENDIAN);
        ArrayNode a = J.arrayNode();
        for (long i = 0; i < length; i++) {
            a.add(get(b, (int) (i * size), element));
        }
        return a;
    }

    private JsonNode string(long ptr, long length) {
        byte[] bytes;
        CharsetDecoder dec;
        switch (cx.encoding()) {
            case UTF8 -> {
                bytes = stringBytes(ptr, length, 1);
                dec = StandardCharsets.UTF_8.newDecoder();
            }
            case UTF16 -> {
                bytes = stringBytes(ptr, length * 2, 2);
                dec = StandardCharsets.UTF_16LE.newDecoder();
            }
            default -> {
                if ((length & (1L << 31)) != 0) {
                    bytes = stringBytes(ptr, (length & 0x7FFF_FFFFL) * 2, 2);
                    dec = StandardCharsets.UTF_16LE.newDecoder();
                } else {
                    bytes = stringBytes(ptr, length, 2);
                    return J.textNode(new String(bytes, StandardCharsets.ISO_8859_1));
                }
            }
        }
        try {
            return J.textNode(
                    dec.onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString());
        } catch (CharacterCodingException e) {
            throw new AbiTrap("string is not valid " + (dec.charset().name()));
        }
    }

    private byte[] stringBytes(long ptr, long byteLength, int align) {
        checkRange(ptr, byteLength, align);
        bytesLeft -= byteLength;
        if (bytesLeft < 0) {
            throw new AbiTrap("the returned value is too large (strings)");
        }
        return cx.read(ptr, (int) byteLength);
    }
}
