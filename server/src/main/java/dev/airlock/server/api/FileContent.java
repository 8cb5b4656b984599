package dev.airlock.server.api;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * A file's content in JSON: a string for UTF-8 text, or {@code {"base64": "..."}} for anything
 * else. Results use the string form whenever the bytes are valid UTF-8 without NUL.
 */
@JsonDeserialize(using = FileContent.Reader.class)
public final class FileContent {
    private final byte[] bytes;

    private FileContent(byte[] bytes) {
        this.bytes = bytes;
    }

    public static FileContent of(byte[] bytes) {
        return new FileContent(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** The JSON form: a string when the bytes are UTF-8 text, else an object with base64. */
    @JsonValue
    public Object json() {
        String text = text(bytes);
        return text != null ? text : Map.of("base64", Base64.getEncoder().encodeToString(bytes));
    }

    private static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileContent f && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /**
     * Reads either form; anything else is an {@link IllegalArgumentException} in words a client
     * reads (Jackson wraps it with the path; the API answers 400 with the message).
     */
    static final class Reader extends JsonDeserializer<FileContent> {
        private static final String SHAPE = "a file is a string or {\"base64\": \"...\"}";

        @Override
        public FileContent deserialize(JsonParser p, DeserializationContext ctx)
                throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return new FileContent(p.getText().getBytes(StandardCharsets.UTF_8));
            }
            if (p.currentToken() == JsonToken.START_OBJECT) {
                String b64 = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (!name.equals("base64") || p.currentToken() != JsonToken.VALUE_STRING) {
                        throw new IllegalArgumentException(SHAPE);
                    }
                    b64 = p.getText();
                }
                if (b64 == null) {
                    throw new IllegalArgumentException("a file object needs \"base64\"");
                }
                try {
                    return new FileContent(Base64.getDecoder().decode(b64));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the file's base64 is not valid base64");
                }
            }
            throw new IllegalArgumentException(SHAPE);
        }
    }
}
