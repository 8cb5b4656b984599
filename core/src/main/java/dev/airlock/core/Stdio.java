package dev.airlock.core;

import java.io.OutputStream;
import java.util.Objects;

/**
 * Where the guest's stdout and stderr go. Writes are cut at {@link Limits#maxOutputBytes()}; the
 * streams are flushed but never closed by Airlock.
 *
 * @param stdout receives the guest's stdout
 * @param stderr receives the guest's stderr
 */
public record Stdio(OutputStream stdout, OutputStream stderr) {
    public Stdio {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** Both streams discarded (they are still counted and capped). */
    public static Stdio discard() {
        return new Stdio(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
    }

    /** The JVM's own {@code System.out} and {@code System.err}. */
    public static Stdio inherit() {
        return new Stdio(System.out, System.err);
    }

    public static Stdio of(OutputStream stdout, OutputStream stderr) {
        return new Stdio(stdout, stderr);
    }
}
