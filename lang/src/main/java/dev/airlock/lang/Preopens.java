package dev.airlock.lang;

import dev.airlock.core.GuestInstance;
import dev.airlock.core.ModuleRejectedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Repoints a pre-initialised image's preopened directory. wasi-libc keeps its preopens as an array
 * of {@code {const char *prefix; int fd}} entries; an image made with Wizer has that array frozen
 * in its data. This finds the entries for descriptor 3 whose prefix is {@code "guest"} and empties
 * the prefix, which makes descriptor 3 the root every absolute path resolves against (longer
 * prefixes, such as the packed standard library's, still win).
 */
final class Preopens {
    private static final byte[] GUEST = "guest\0".getBytes(StandardCharsets.US_ASCII);

    private Preopens() {}

    static void rootGuestPreopen(GuestInstance instance) throws ModuleRejectedException {
        byte[] mem = instance.read(0, (int) instance.memoryBytes());
        ByteBuffer b = ByteBuffer.wrap(mem).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int at = 0; at + 8 <= mem.length; at += 4) {
            int ptr = b.getInt(at);
            if (b.getInt(at + 4) != 3 || ptr <= 0 || ptr + GUEST.length > mem.length) {
                continue;
            }
            if (matches(mem, ptr)) {
                instance.write(ptr, new byte[] {0});
                patched++;
            }
        }
        if (patched == 0) {
            throw new ModuleRejectedException(
                    "instantiation",
                    "the interpreter image has no /guest preopen to repoint",
                    instance.moduleSha256());
        }
    }

    private static boolean matches(byte[] mem, int ptr) {
        for (int i = 0; i < GUEST.length; i++) {
            if (mem[ptr + i] != GUEST[i]) {
                return false;
            }
        }
        return true;
    }
}
