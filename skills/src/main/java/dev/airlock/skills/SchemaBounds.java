package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The keywords of the skills' JSON Schema subset that bound values and combine schemas: {@code
 * minimum}, {@code maximum}, {@code minLength} and {@code maxLength} (in characters), {@code
 * minItems}, {@code maxItems}, {@code uniqueItems}, {@code const}, {@code prefixItems} and {@code
 * oneOf} (exactly one alternative fits), as component skills' schemas derived from WIT use them.
 */
final class SchemaBounds {
    static final Set<String> KEYWORDS =
            Set.of(
                    "minimum",
                    "maximum",
                    "minLength",
                    "maxLength",
                    "minItems",
                    "maxItems",
                    "uniqueItems",
                    "const",
                    "prefixItems",
                    "oneOf");

    /** Checks one schema below. */
    interface Checker {
        void check(JsonNode schema, String where, int depth) throws SkillException;
    }

    /** Validates one value against one schema. */
    interface Validator {
        String validate(JsonNode schema, JsonNode value, String path);
    }

    private SchemaBounds() {}

    static void check(JsonNode s, String where, int depth, Checker below) throws SkillException {
        for (String k : new String[] {"minimum", "maximum"}) {
            if (s.has(k) && !s.get(k).isNumber()) {
                throw invalid(where, k + ": expected a number");
            }
        }
        for (String k : new String[] {"minLength", "maxLength", "minItems", "maxItems"}) {
            if (s.has(k) && !(s.get(k).isIntegralNumber() && s.get(k).asLong() >= 0)) {
                throw invalid(where, k + ": expected a non-negative integer");
            }
        }
        if (s.has("uniqueItems") && !s.get("uniqueItems").isBoolean()) {
            throw invalid(where, "uniqueItems: expected true or false");
        }
        for (String k : new String[] {"prefixItems", "oneOf"}) {
            JsonNode l = s.get(k);
            if (l == null) {
                continue;
            }
            if (!l.isArray() || l.isEmpty()) {
                throw invalid(where, k + ": expected a non-empty list of schemas");
            }
            for (int i = 0; i < l.size(); i++) {
                below.check(l.get(i), where + "." + k + "[" + i + "]", depth + 1);
            }
        }
    }

    static String validate(JsonNode s, JsonNode v, String path, Validator below) {
        if (s.has("const") && !Schemas.equal(s.get("const"), v)) {
            return path + ": expected " + Json.write(s.get("const"));
        }
        if (v.isNumber()) {
            if (s.has("minimum")
                    && v.decimalValue().compareTo(s.get("minimum").decimalValue()) < 0) {
                return path + ": below the minimum " + s.get("minimum");
            }
            if (s.has("maximum")
                    && v.decimalValue().compareTo(s.get("maximum").decimalValue()) > 0) {
                return path + ": above the maximum " + s.get("maximum");
            }
        }
        if (v.isTextual()) {
            long n = v.asText().codePointCount(0, v.asText().length());
            if (s.has("minLength") && n < s.get("minLength").asLong()) {
                return path + ": shorter than " + s.get("minLength") + " characters";
            }
            if (s.has("maxLength") && n > s.get("maxLength").asLong()) {
                return path + ": longer than " + s.get("maxLength") + " characters";
            }
        }
        if (v.isArray()) {
            if (s.has("minItems") && v.size() < s.get("minItems").asLong()) {
                return path + ": fewer than " + s.get("minItems") + " items";
            }
            if (s.has("maxItems") && v.size() > s.get("maxItems").asLong()) {
                return path + ": more than " + s.get("maxItems") + " items";
            }
            if (s.path("uniqueItems").asBoolean()) {
                Set<String> seen = new HashSet<>();
                for (JsonNode e : v) {
                    if (!seen.add(Json.write(e))) {
                        return path + ": items are not unique";
                    }
                }
            }
            JsonNode prefix = s.get("prefixItems");
            if (prefix != null) {
                for (int i = 0; i < Math.min(prefix.size(), v.size()); i++) {
                    String why = below.validate(prefix.get(i), v.get(i), path + "[" + i + "]");
                    if (why != null) {
                        return why;
                    }
                }
            }
        }
        JsonNode one = s.get("oneOf");
        if (one != null) {
            int fits = 0;
            String first = null;
            for (JsonNode alt : one) {
                String why = below.validate(alt, v, path);
                if (why == null) {
                    fits++;
                } else if (first == null) {
                    first = why;
                }
            }
            if (fits != 1) {
                return fits == 0
                        ? path + ": fits none of the alternatives (" + first + ")"
                        : path + ": fits more than one alternative";
            }
        }
        return null;
    }

    private static SkillException invalid(String where, String what) {
        return new SkillException(SkillException.Kind.INVALID, where + ": " + what);
    }
}
