package dev.airlock.core;

import dev.airlock.core.engine.WatAssembler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a module from a file in either WebAssembly format: the binary format ({@code .wasm},
 * recognised by its {@code \0asm} header) is returned as it is; anything else whose first non-blank
 * character is {@code (} (the text format, {@code .wat}) is assembled to the binary format first,
 * as {@code wasmtime} does.
 */
public final class ModuleSource {
    private static final byte[] MAGIC = {0, 'a', 's', 'm'};

    private ModuleSource() {}

    /** Whether {@code bytes} start with the binary format's header {@code \0asm}. */
    public static boolean isBinary(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code bytes} look like the text format: not binary, and the first character that is
     * neither white space nor in a {@code ;;} or {@code (; ;)} comment is {@code (}.
     */
    public static boolean isText(byte[] bytes) {
        if (isBinary(bytes)) {
            return false;
        }
        int i = 0;
        while (i < bytes.length) {
            byte b = bytes[i];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                i++;
            } else if (b == ';' && i + 1 < bytes.length && bytes[i + 1] == ';') {
                while (i < bytes.length && bytes[i] != '\n') {
                    i++;
                }
            } else if (b == '(' && i + 1 < bytes.length && bytes[i + 1] == ';') {
                int end = indexOf(bytes, i + 2);
                if (end < 0) {
                    return false;
                }
                i = end + 2;
            } else {
                return b == '(';
            }
        }
        return false;
    }

    /**
     * The binary module for the bytes of a file in either format; binary bytes are returned as they
     * are, text is assembled, anything else is returned unchanged (for the loader to reject).
     *
     * @throws ModuleRejectedException with reason {@code malformed} when text does not assemble
     */
    public static byte[] toBinary(byte[] bytes) throws ModuleRejectedException {
        if (!isText(bytes)) {
            return bytes;
        }
        try {
            return WatAssembler.assemble(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ModuleRejectedException(
                    "malformed", "invalid WebAssembly text format: " + e.getMessage(), null);
        }
    }

    /**
     * Reads a module file in either format and returns the binary module.
     *
     * @throws ModuleRejectedException with reason {@code unreadable} when the file cannot be read,
     *     {@code malformed} when its text does not assemble
     */
    public static byte[] read(Path file) throws ModuleRejectedException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModuleRejectedException("unreadable", "no such file: " + file, null);
        } catch (IOException | OutOfMemoryError e) {
            throw new ModuleRejectedException(
                    "unreadable", "cannot read " + file + ": " + e.getMessage(), null);
        }
        return toBinary(bytes);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == ';' && bytes[i + 1] == ')') {
                return i;
            }
        }
        return -1;
    }
}
