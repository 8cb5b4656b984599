package dev.airlock.cli.compile;

/** A model that cannot be compiled, with the one line that says why. */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    public CompileException(String message) {
        super(message, null, false, false);
    }
}
