package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The subset of JSON Schema that skills may use, checked in full: {@code type} (one or a list of
 * {@code object}, {@code array}, {@code string}, {@code number}, {@code integer}, {@code boolean},
 * {@code null}), {@code properties}, {@code required}, {@code items}, {@code enum} and {@code
 * additionalProperties} (a boolean or a schema), plus the annotations {@code title}, {@code
 * description}, {@code default}, {@code examples} and {@code $schema}, and the bounds and
 * combinations of {@link SchemaBounds}. Any other keyword is an error in the manifest rather than
 * silently unenforced.
 */
public final class Schemas {
    private static final Set<String> KEYWORDS = keywords();

    private static Set<String> keywords() {
        Set<String> k = new java.util.HashSet<>(SchemaBounds.KEYWORDS);
        k.addAll(
                Set.of(
                        "type",
                        "properties",
                        "required",
                        "items",
                        "enum",
                        "additionalProperties",
                        "title",
                        "description",
                        "default",
                        "examples",
                        "$schema"));
        return Set.copyOf(k);
    }

    private static final Set<String> TYPES =
            Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    private static final int MAX_DEPTH = 32;

    private Schemas() {}

    /**
     * Checks that {@code schema} uses only the supported subset, correctly.
     *
     * @throws SkillException ({@code INVALID}) naming the first problem under {@code where}
     */
    public static void check(JsonNode schema, String where) throws SkillException {
        check(schema, where, 0);
    }

    private static void check(JsonNode s, String where, int depth) throws SkillException {
        if (depth > MAX_DEPTH) {
            throw invalid(where, "nested deeper than " + MAX_DEPTH);
        }
        if (s.isBoolean()) {
            return;
        }
        if (!s.isObject()) {
            throw invalid(where, "a schema must be an object or a boolean");
        }
        Json.onlyKeys(s, where + " (supported JSON Schema subset)", KEYWORDS);
        JsonNode type = s.get("type");
        if (type != null) {
            if (type.isTextual()) {
                checkType(type.asText(), where);
            } else if (type.isArray() && !type.isEmpty()) {
                for (JsonNode t : type) {
                    if (!t.isTextual()) {
                        throw invalid(where, "type: expected names");
                    }
                    checkType(t.asText(), where);
                }
            } else {
                throw invalid(where, "type: expected a name or a non-empty list of names");
            }
        }
        JsonNode props = s.get("properties");
        if (props != null) {
            if (!props.isObject()) {
                throw invalid(where, "properties: expected an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                check(e.getValue(), where + ".properties." + e.getKey(), depth + 1);
            }
        }
        JsonNode req = s.get("required");
        if (req != null) {
            if (!req.isArray()) {
                throw invalid(where, "required: expected a list of names");
            }
            for (JsonNode r : req) {
                if (!r.isTextual()) {
                    throw invalid(where, "required: expected a list of names");
                }
            }
        }
        JsonNode items = s.get("items");
        if (items != null) {
            check(items, where + ".items", depth + 1);
        }
        JsonNode en = s.get("enum");
        if (en != null && (!en.isArray() || en.isEmpty())) {
            throw invalid(where, "enum: expected a non-empty list");
        }
        JsonNode ap = s.get("additionalProperties");
        if (ap != null) {
            check(ap, where + ".additionalProperties", depth + 1);
        }
        SchemaBounds.check(s, where, depth, Schemas::check);
    }

    private static void checkType(String t, String where) throws SkillException {
        if (!TYPES.contains(t)) {
            throw invalid(where, "type: unknown type '" + t + "'");
        }
    }

    private static SkillException invalid(String where, String what) {
        return new SkillException(SkillException.Kind.INVALID, where + ": " + what);
    }

    /**
     * Validates {@code value} against a schema already {@linkplain #check checked}.
     *
     * @return the first violation as {@code PATH: problem}, or {@code null} if it conforms
     */
    public static String validate(JsonNode schema, JsonNode value) {
        return validate(schema, value, "$");
    }

    private static String validate(JsonNode s, JsonNode v, String path) {
        if (s.isBoolean()) {
            return s.asBoolean() ? null : path + ": no value is allowed here";
        }
        JsonNode type = s.get("type");
        if (type != null) {
            boolean ok = false;
            if (type.isTextual()) {
                ok = is(type.asText(), v);
            } else {
                for (JsonNode t : type) {
                    ok |= is(t.asText(), v);
                }
            }
            if (!ok) {
                return path + ": expected " + typeText(type) + ", got " + kind(v);
            }
        }
        JsonNode en = s.get("enum");
        if (en != null) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= equal(e, v);
            }
            if (!found) {
                return path + ": not one of " + Json.write(en);
            }
        }
        String bound = SchemaBounds.validate(s, v, path, Schemas::validate);
        if (bound != null) {
            return bound;
        }
        if (v.isObject()) {
            JsonNode req = s.get("required");
            if (req != null) {
                for (JsonNode r : req) {
                    if (!v.has(r.asText())) {
                        return path + ": missing required property '" + r.asText() + "'";
                    }
                }
            }
            JsonNode props = s.get("properties");
            JsonNode ap = s.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + "." + e.getKey();
                JsonNode ps = props == null ? null : props.get(e.getKey());
                String why = null;
                if (ps != null) {
                    why = validate(ps, e.getValue(), p);
                } else if (ap != null) {
                    why =
                            ap.isBoolean() && !ap.asBoolean()
                                    ? p + ": property not allowed"
                                    : validate(ap, e.getValue(), p);
                }
                if (why != null) {
                    return why;
                }
            }
        }
        if (v.isArray() && s.has("items")) {
            for (int i = 0; i < v.size(); i++) {
                String why = validate(s.get("items"), v.get(i), path + "[" + i + "]");
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    private static boolean is(String type, JsonNode v) {
        switch (type) {
            case "object":
                return v.isObject();
            case "array":
                return v.isArray();
            case "string":
                return v.isTextual();
            case "number":
                return v.isNumber();
            case "integer":
                return v.isIntegralNumber()
                        || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
            case "boolean":
                return v.isBoolean();
            case "null":
                return v.isNull();
            default:
                return false;
        }
    }

    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String typeText(JsonNode type) {
        return type.isTextual() ? type.asText() : Json.write(type);
    }

    private static String kind(JsonNode v) {
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
