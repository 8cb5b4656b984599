package dev.airlock.core.engine.module;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A module's bytes stated with their SHA-256: read once, when first asked for, and checked against
 * that digest before anyone sees them. Thread-safe.
 */
final class KnownSource implements Supplier<byte[]> {
    /** The bytes read do not have the stated digest (or could not be read). */
    static final class MismatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MismatchException(String message) {
            super(message);
        }
    }

    private final String sha;
    private final Supplier<byte[]> read;
    private byte[] bytes;

    KnownSource(String sha, Supplier<byte[]> read) {
        this.sha = Objects.requireNonNull(sha, "sha");
        this.read = Objects.requireNonNull(read, "read");
    }

    @Override
    public synchronized byte[] get() {
        if (bytes == null) {
            byte[] b;
            try {
                b = read.get();
            } catch (RuntimeException e) {
                throw new MismatchException("cannot read the module: " + ModuleParser.describe(e));
            }
            if (b == null) {
                throw new MismatchException("cannot read the module");
            }
            if (!ModuleLoader.sha256(b).equals(sha)) {
                throw new MismatchException("the module's bytes do not match their stated SHA-256");
            }
            bytes = b;
        }
        return bytes;
    }
}
