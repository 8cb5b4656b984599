package dev.airlock.skills.box;

/**
 * Why a box cannot be built or run: one line, naming the Dockerfile's line where there is one
 * ({@code Dockerfile:12: RUN apt-get update is not supported ...}).
 */
public final class BoxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    /** A problem at {@code line} of the Dockerfile (0: not tied to a line). */
    public BoxException(int line, String message) {
        super(message);
        this.line = line;
    }

    /** A problem not tied to a line of the Dockerfile. */
    public BoxException(String message) {
        this(0, message);
    }

    /** The Dockerfile line, or 0. */
    public int line() {
        return line;
    }

    /** The message as the CLI prints it after {@code airlock: }. */
    public String line(String dockerfile) {
        return line > 0 ? dockerfile + ":" + line + ": " + getMessage() : getMessage();
    }
}
