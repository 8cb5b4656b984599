package dev.airlock.lang;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Captures a snippet's stdout and stderr. */
final class Capture {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Stdio stdio() {
        return Stdio.of(out, err);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
