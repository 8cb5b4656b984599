package dev.airlock.skills;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/** Strict JSON: duplicate keys, trailing content and non-standard syntax are errors. */
public final class Json {
    static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .nodeFactory(
                            com.fasterxml.jackson.databind.node.JsonNodeFactory
                                    .withExactBigDecimals(true))
                    .build();

    private Json() {}

    /**
     * Parses one JSON value.
     *
     * @param what what the text is, for the message ({@code skill.json}, {@code --input}, ...)
     * @throws SkillException of {@code kind} naming the first problem
     */
    public static JsonNode parse(byte[] bytes, String what, SkillException.Kind kind)
            throws SkillException {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new SkillException(kind, what + ": empty, expected JSON");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new SkillException(kind, what + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SkillException(kind, what + ": " + e.getMessage(), e);
        }
    }

    /** Compact JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e.getOriginalMessage(), e);
        }
    }

    /** Indented JSON. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON known to be valid (such as a verified manifest). */
    public static JsonNode read(byte[] bytes) throws SkillException {
        return parse(bytes, "json", SkillException.Kind.INVALID);
    }

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Refuses keys of {@code node} outside {@code allowed}. */
    static void onlyKeys(JsonNode node, String where, Set<String> allowed) throws SkillException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new SkillException(
                        SkillException.Kind.INVALID,
                        where + ": unknown key '" + k + "' (allowed: " + sorted(allowed) + ")");
            }
        }
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", new java.util.TreeSet<>(s));
    }
}
