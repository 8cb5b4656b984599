package dev.airlock.core.engine;

import com.dylibso.chicory.wabt.Wat2Wasm;

/** Assembles the WebAssembly text format with wabt's {@code wat2wasm}, itself run on Chicory. */
public final class WatAssembler {
    private WatAssembler() {}

    /**
     * The binary module for {@code text}.
     *
     * @throws IllegalArgumentException with wat2wasm's first error line when the text is invalid
     */
    public static byte[] assemble(String text) {
        try {
            return Wat2Wasm.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(firstLine(e), e);
        }
    }

    private static String firstLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) {
                for (String line : m.split("\n")) {
                    if (line.contains("error")) {
                        return line.strip();
                    }
                }
                return m.strip().lines().findFirst().orElse("");
            }
        }
        return "wat2wasm failed";
    }
}
