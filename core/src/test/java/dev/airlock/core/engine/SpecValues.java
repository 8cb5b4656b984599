package dev.airlock.core.engine;

import com.dylibso.chicory.wasm.types.Value;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Values of the spec scripts as Chicory's raw longs: arguments and expected results. */
final class SpecValues {
    private SpecValues() {}

    static long[] args(JsonNode args) {
        List<Long> out = new ArrayList<>();
        for (JsonNode a : args) {
            String type = a.path("type").asText();
            if (type.equals("v128")) {
                long[] v = v128(a);
                out.add(v[0]);
                out.add(v[1]);
            } else {
                out.add(scalar(type, a.path("value").asText()));
            }
        }
        long[] r = new long[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    private static long scalar(String type, String v) {
        switch (type) {
            case "i32":
            case "f32":
                return (int) Long.parseLong(v);
            case "i64":
            case "f64":
                return Long.parseUnsignedLong(v);
            default: // references
                return v.equals("null") ? Value.REF_NULL_VALUE : Long.parseLong(v);
        }
    }

    /** A v128 of lanes as two longs, low then high. */
    private static long[] v128(JsonNode a) {
        String lane = a.path("lane_type").asText();
        int bits = laneBits(lane);
        long lo = 0;
        long hi = 0;
        int i = 0;
        for (JsonNode l : a.path("value")) {
            String s = l.asText();
            long v = s.startsWith("nan:") ? 0 : Long.parseUnsignedLong(s);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            int bit = i * bits;
            if (bit < 64) {
                lo |= (v & mask) << bit;
            } else {
                hi |= (v & mask) << (bit - 64);
            }
            i++;
        }
        return new long[] {lo, hi};
    }

    private static int laneBits(String lane) {
        switch (lane) {
            case "i8":
                return 8;
            case "i16":
                return 16;
            case "i32":
            case "f32":
                return 32;
            default:
                return 64;
        }
    }

    /** Null if {@code actual} matches {@code expected}, else why not. */
    static String compare(JsonNode expected, long[] actual) {
        int slot = 0;
        int k = 0;
        for (JsonNode e : expected) {
            String type = e.path("type").asText();
            if (type.equals("v128")) {
                if (slot + 2 > actual.length) {
                    return "too few results";
                }
                String why = compareV128(e, actual[slot], actual[slot + 1]);
                if (why != null) {
                    return "result " + k + ": " + why;
                }
                slot += 2;
            } else {
                if (slot >= actual.length) {
                    return "too few results";
                }
                String why = compareScalar(type, e.path("value"), actual[slot]);
                if (why != null) {
                    return "result " + k + ": " + why;
                }
                slot++;
            }
            k++;
        }
        return slot == actual.length ? null : "too many results";
    }

    private static String compareScalar(String type, JsonNode value, long a) {
        String v = value.isMissingNode() ? null : value.asText();
        boolean ok;
        switch (type) {
            case "i32":
                ok = (int) a == (int) Long.parseLong(v);
                break;
            case "i64":
                ok = a == Long.parseUnsignedLong(v);
                break;
            case "f32":
                ok = f32((int) a, v);
                break;
            case "f64":
                ok = f64(a, v);
                break;
            default:
                if (v == null) {
                    ok = a != Value.REF_NULL_VALUE;
                } else if (v.equals("null")) {
                    ok = a == Value.REF_NULL_VALUE;
                } else {
                    ok =
                            type.equals("funcref")
                                    ? a != Value.REF_NULL_VALUE
                                    : a == Long.parseLong(v);
                }
                break;
        }
        return ok ? null : "expected " + type + " " + v + ", got " + a;
    }

    private static boolean f32(int bits, String v) {
        if (v.equals("nan:canonical")) {
            return (bits & 0x7fffffff) == 0x7fc00000;
        }
        if (v.equals("nan:arithmetic")) {
            return (bits & 0x7fc00000) == 0x7fc00000;
        }
        return bits == (int) Long.parseLong(v);
    }

    private static boolean f64(long bits, String v) {
        if (v.equals("nan:canonical")) {
            return (bits & 0x7fffffffffffffffL) == 0x7ff8000000000000L;
        }
        if (v.equals("nan:arithmetic")) {
            return (bits & 0x7ff8000000000000L) == 0x7ff8000000000000L;
        }
        return bits == Long.parseUnsignedLong(v);
    }

    private static String compareV128(JsonNode e, long lo, long hi) {
        String lane = e.path("lane_type").asText();
        int bits = laneBits(lane);
        int i = 0;
        for (JsonNode l : e.path("value")) {
            int bit = i * bits;
            long word = bit < 64 ? lo : hi;
            int shift = bit % 64;
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            long actual = (word >>> shift) & mask;
            String s = l.asText();
            boolean ok;
            if (lane.equals("f32")) {
                ok = f32((int) actual, s);
            } else if (lane.equals("f64")) {
                ok = f64(actual, s);
            } else {
                ok = actual == (Long.parseUnsignedLong(s) & mask);
            }
            if (!ok) {
                return "lane " + i + ": expected " + s + ", got " + actual;
            }
            i++;
        }
        return null;
    }
}
