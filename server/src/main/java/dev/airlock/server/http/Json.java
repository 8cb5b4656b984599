package dev.airlock.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
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
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest(
                    "wrong type" + where(e) + ": " + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            duplicate(e.getCause());
            // a value a constructor refused: its own words, never Jackson's (they name classes)
            Throwable c = e.getCause();
            throw ApiException.badRequest(
                    "wrong value"
                            + where(e)
                            + (c instanceof IllegalArgumentException && c.getMessage() != null
                                    ? ": " + c.getMessage()
                                    : ""));
        } catch (InputCoercionException e) {
            throw ApiException.badRequest(
                    "a number in the JSON body is out of range for its field");
        } catch (JsonProcessingException e) {
            duplicate(e);
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws the 400 for a key given twice if that is what {@code e} reports. */
    private static void duplicate(Throwable e) {
        if (e instanceof JsonProcessingException p) {
            String m = p.getOriginalMessage();
            if (m != null && m.startsWith(DUPLICATE)) {
                throw ApiException.badRequest(
                        "duplicate key " + m.substring(DUPLICATE.length()) + " in the JSON body");
            }
        }
    }

    /** What a field of this Java type takes, in JSON's words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value is expected";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string is expected";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false is expected";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == java.math.BigInteger.class) {
            return "an integer is expected";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number is expected";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array is expected";
        }
        return "an object is expected";
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
