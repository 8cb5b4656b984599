package dev.airlock.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.airlock.server.api.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The server's JSON: strict on input (unknown fields, keys given twice in one object, wrong types,
 * trailing data and numbers where text belongs are all 400s), ISO-8601 times on output.
 */
public final class Json {
    /** The one mapper, configured once. */
    public static final ObjectMapper MAPPER = mapper();

    /** How Jackson starts the message for a key given twice in one object. */
    private static final String DUPLICATE = "Duplicate field ";

    private Json() {}

    private static ObjectMapper mapper() {
        ObjectMapper m =
                JsonMapper.builder()
                        .addModule(new JavaTimeModule())
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .disable(
                                com.fasterxml.jackson.databind.MapperFeature
                                        .ALLOW_COERCION_OF_SCALARS)
                        .build();
        for (CoercionInputShape shape :
                new CoercionInputShape[] {
                    CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
                }) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return m;
    }

    /**
     * Reads a request body.
     *
     * @throws ApiException 400 naming the problem and where it is
     */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; a JSON object is expected");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("a JSON object is expected, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'" + where(e));
        } catch (JsonMappingException e) {
            throw ApiException.badRequest(
                    "wrong type or value" + where(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith(DUPLICATE)) {
                throw ApiException.badRequest(
                        "duplicate key " + m.substring(DUPLICATE.length()) + " in the JSON body");
            }
            throw ApiException.badRequest("malformed JSON: " + m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String where(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "";
        }
        return " at "
                + e.getPath().stream()
                        .map(
                                r ->
                                        r.getFieldName() != null
                                                ? r.getFieldName()
                                                : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."));
    }

    /** Writes a value as JSON bytes. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
