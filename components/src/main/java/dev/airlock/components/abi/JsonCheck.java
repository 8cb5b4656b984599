package dev.airlock.components.abi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.components.types.WitType;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Checks a JSON value against a WIT type before anything runs, so that lowering it cannot fail. The
 * mapping (see the README): bool as true/false; integers as JSON integers in range; floats as
 * numbers or "NaN", "Infinity", "-Infinity"; char as a one-character string; string; list and tuple
 * as arrays; record as an object with every field; variant as {"case": payload} (payload null, or
 * the bare string "case", for a case without one); enum as "case"; flags as an array of names;
 * option as null or the value ({"some": value} when the value is itself an option); result as
 * {"ok": value} or {"error": value}; own and borrow as the host's handle number.
 */
public final class JsonCheck {
    /** A value that does not fit its type, with the path to it. */
    public static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private JsonCheck() {}

    /** Says whether a handle number may be passed for a resource type: null, or why not. */
    @FunctionalInterface
    public interface HandleCheck {
        String check(WitType.Resource type, long handle, boolean own);
    }

    public static void check(JsonNode v, WitType t, String path, HandleCheck handles)
            throws Mismatch {
        if (v == null || v.isMissingNode()) {
            throw new Mismatch(path + ": missing");
        }
        if (t instanceof WitType.Prim p) {
            prim(v, p, path);
        } else if (t instanceof WitType.ListOf l) {
            array(v, path);
            int i = 0;
            for (JsonNode e : v) {
                check(e, l.element(), path + "[" + i++ + "]", handles);
            }
        } else if (t instanceof WitType.Tuple tu) {
            array(v, path);
            if (v.size() != tu.types().size()) {
                throw new Mismatch(
                        path + ": expected " + tu.types().size() + " elements, got " + v.size());
            }
            for (int i = 0; i < v.size(); i++) {
                check(v.get(i), tu.types().get(i), path + "[" + i + "]", handles);
            }
        } else if (t instanceof WitType.Record r) {
            if (!v.isObject()) {
                throw new Mismatch(path + ": expected an object (record)");
            }
            Set<String> names = new HashSet<>();
            for (WitType.Field f : r.fields()) {
                names.add(f.name());
                if (!v.has(f.name())) {
                    throw new Mismatch(path + ": missing field " + f.name());
                }
                check(v.get(f.name()), f.type(), path + "." + f.name(), handles);
            }
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String n = it.next();
                if (!names.contains(n)) {
                    throw new Mismatch(path + ": unknown field " + n);
                }
            }
        } else if (t instanceof WitType.Variant va) {
            caseOf(v, va.cases(), path, handles);
        } else if (t instanceof WitType.Enum e) {
            if (!v.isTextual() || !e.names().contains(v.asText())) {
                throw new Mismatch(path + ": expected one of " + e.names());
            }
        } else if (t instanceof WitType.Flags f) {
            array(v, path);
            for (JsonNode e : v) {
                if (!e.isTextual() || !f.names().contains(e.asText())) {
                    throw new Mismatch(path + ": expected flag names from " + f.names());
                }
            }
        } else if (t instanceof WitType.Option o) {
            if (v.isNull()) {
                return;
            }
            if (o.type() instanceof WitType.Option) {
                if (!v.isObject() || v.size() != 1 || !v.has("some")) {
                    throw new Mismatch(path + ": expected null or {\"some\": value}");
                }
                check(v.get("some"), o.type(), path + ".some", handles);
            } else {
                check(v, o.type(), path, handles);
            }
        } else if (t instanceof WitType.Result r) {
            if (!v.isObject() || v.size() != 1 || !(v.has("ok") || v.has("error"))) {
                throw new Mismatch(path + ": expected {\"ok\": value} or {\"error\": value}");
            }
            boolean ok = v.has("ok");
            WitType payload = ok ? r.ok() : r.error();
            JsonNode pv = v.get(ok ? "ok" : "error");
            if (payload == null) {
                if (!pv.isNull()) {
                    throw new Mismatch(path + "." + (ok ? "ok" : "error") + ": expected null");
                }
            } else {
                check(pv, payload, path + "." + (ok ? "ok" : "error"), handles);
            }
        } else if (t instanceof WitType.Own || t instanceof WitType.Borrow) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new Mismatch(path + ": expected a resource handle number");
            }
            WitType.Resource r =
                    t instanceof WitType.Own o ? o.resource() : ((WitType.Borrow) t).resource();
            String problem = handles.check(r, v.asLong(), t instanceof WitType.Own);
            if (problem != null) {
                throw new Mismatch(path + ": " + problem);
            }
        }
    }

    private static void caseOf(
            JsonNode v, List<WitType.Field> cases, String path, HandleCheck handles)
            throws Mismatch {
        String name;
        JsonNode payload;
        if (v.isTextual()) {
            name = v.asText();
            payload = null;
        } else if (v.isObject() && v.size() == 1) {
            name = v.fieldNames().next();
            payload = v.get(name);
        } else {
            throw new Mismatch(path + ": expected {\"case\": value}");
        }
        for (WitType.Field c : cases) {
            if (c.name().equals(name)) {
                if (c.type() == null) {
                    if (payload != null && !payload.isNull()) {
                        throw new Mismatch(path + "." + name + ": case has no payload");
                    }
                } else {
                    if (payload == null) {
                        throw new Mismatch(path + "." + name + ": missing payload");
                    }
                    check(payload, c.type(), path + "." + name, handles);
                }
                return;
            }
        }
        throw new Mismatch(path + ": unknown case " + name);
    }

    private static void array(JsonNode v, String path) throws Mismatch {
        if (!v.isArray()) {
            throw new Mismatch(path + ": expected an array");
        }
    }

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static void prim(JsonNode v, WitType.Prim p, String path) throws Mismatch {
        switch (p) {
            case BOOL -> {
                if (!v.isBoolean()) {
                    throw new Mismatch(path + ": expected true or false");
                }
            }
            case S8 -> range(v, -128, 127, p, path);
            case U8 -> range(v, 0, 255, p, path);
            case S16 -> range(v, -32768, 32767, p, path);
            case U16 -> range(v, 0, 65535, p, path);
            case S32 -> range(v, Integer.MIN_VALUE, Integer.MAX_VALUE, p, path);
            case U32 -> range(v, 0, 0xFFFF_FFFFL, p, path);
            case S64 -> range(v, Long.MIN_VALUE, Long.MAX_VALUE, p, path);
            case U64 -> {
                if (!v.isIntegralNumber()
                        || v.bigIntegerValue().signum() < 0
                        || v.bigIntegerValue().compareTo(U64_MAX) > 0) {
                    throw new Mismatch(path + ": expected u64 (0 to " + U64_MAX + ")");
                }
            }
            case F32, F64 -> {
                if (!v.isNumber()
                        && !(v.isTextual()
                                && Set.of("NaN", "Infinity", "-Infinity").contains(v.asText()))) {
                    throw new Mismatch(path + ": expected a number");
                }
            }
            case CHAR -> {
                if (!v.isTextual()
                        || v.asText().codePointCount(0, v.asText().length()) != 1
                        || !validUnicode(v.asText())) {
                    throw new Mismatch(path + ": expected a string of one character");
                }
            }
            case STRING -> {
                if (!v.isTextual()) {
                    throw new Mismatch(path + ": expected a string");
                }
                if (!validUnicode(v.asText())) {
                    throw new Mismatch(path + ": string has an unpaired surrogate");
                }
            }
        }
    }

    private static void range(JsonNode v, long min, long max, WitType.Prim p, String path)
            throws Mismatch {
        if (!v.isIntegralNumber()
                || !v.canConvertToLong()
                || v.asLong() < min
                || v.asLong() > max) {
            throw new Mismatch(path + ": expected " + p.wit() + " (" + min + " to " + max + ")");
        }
    }

    static boolean validUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
