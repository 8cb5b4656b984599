package dev.airlock.skills;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Readers of the fields of a {@code skill.json} (strings, booleans, lists of names), each checking
 * its field and refusing it with a {@code skill.json: WHERE: PROBLEM} error ({@code INVALID}).
 */
final class ManifestFields {
    static final int MAX_TEXT = 4096;
    static final int MAX_ITEMS = 64;

    private ManifestFields() {}

    static JsonNode list(JsonNode n, String key, String where) throws SkillException {
        JsonNode l = n.get(key);
        if (l == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!l.isArray()) {
            throw invalid(where + "." + key + ": expected a list");
        }
        if (l.size() > MAX_ITEMS) {
            throw invalid(where + "." + key + ": more than " + MAX_ITEMS + " entries");
        }
        return l;
    }

    static List<String> names(JsonNode n, String key, Pattern form, String where)
            throws SkillException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list(n, key, where)) {
            if (!e.isTextual()
                    || e.asText().length() > 128
                    || !form.matcher(e.asText()).matches()) {
                throw invalid(where + "." + key + ": bad name " + Json.write(e));
            }
            if (out.contains(e.asText())) {
                throw invalid(where + "." + key + ": duplicate " + e.asText());
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    static boolean bool(JsonNode n, String key, String where) throws SkillException {
        JsonNode b = n.get(key);
        if (b == null) {
            return false;
        }
        if (!b.isBoolean()) {
            throw invalid(where + "." + key + ": expected true or false");
        }
        return b.asBoolean();
    }

    static String text(JsonNode n, String key, boolean required, int max) throws SkillException {
        return text(n, key, required, max, null);
    }

    static String text(JsonNode n, String key, boolean required, int max, String where)
            throws SkillException {
        String at = where == null ? key : where + "." + key;
        JsonNode v = n.get(key);
        if (v == null) {
            if (required) {
                throw invalid(at + ": missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid(at + ": expected a non-empty string");
        }
        String s = v.asText();
        if (s.length() > max) {
            throw invalid(at + ": longer than " + max + " characters");
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
            throw invalid(at + ": control characters");
        }
        return s;
    }

    static SkillException invalid(String what) {
        return new SkillException(SkillException.Kind.INVALID, Manifest.FILE + ": " + what);
    }
}
