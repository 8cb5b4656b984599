package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.ModuleRejectedException;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bundled interpreter module ships with its digest ({@code PATH.sha256}), by which it is
 * loaded without reading it when it is cached: the digest must be the module's (the runtimes' build
 * scripts write it; after a rebuild by hand, run them or rewrite the file).
 */
class ModuleDigestTest {
    @ParameterizedTest
    @ValueSource(strings = {"python/airlock-python.wasm", "js/airlock-js.wasm"})
    void theShippedDigestIsTheModules(String path) throws Exception {
        Interpreter.Digest d = Interpreter.digest(Interpreter.class, path);
        assertThat(d).as(path + ".sha256").isNotNull();
        byte[] bytes;
        try {
            bytes = Interpreter.resource(Interpreter.class, path);
        } catch (ModuleRejectedException e) {
            throw new AssertionError(e);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(d.sha256()).isEqualTo(sha);
        assertThat(d.size()).isEqualTo(bytes.length);
    }
}
