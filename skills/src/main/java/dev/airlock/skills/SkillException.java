package dev.airlock.skills;

/**
 * Why a skill was refused or could not be handled: a kind and a one-line message that names the
 * problem (never a Java class name). {@link #refusal()} kinds are refusals of the skill itself.
 */
public final class SkillException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** A malformed or invalid manifest, file layout or module. */
        INVALID("invalid skill", true),
        /** A hostile or oversized archive. */
        ARCHIVE("bad archive", true),
        /** No signature. */
        UNSIGNED("unsigned", true),
        /** Files that do not match their signature. */
        TAMPERED("tampered", true),
        /** A signature by a key the trust store does not hold. */
        UNTRUSTED("untrusted publisher", true),
        /** A lower version than the one installed. */
        DOWNGRADE("downgrade", true),
        /** A module that imports a capability its manifest does not declare. */
        UNDECLARED("undeclared capability", true),
        /** No such skill, version, tool or key. */
        NOT_FOUND("not found", false),
        /** Already installed, or a key that exists. */
        EXISTS("exists", false),
        /** A server refused the API key (missing, unknown, or not an admin key). */
        DENIED("access denied", false),
        /** The caller's input does not fit the tool's schema. */
        INPUT("invalid input", false),
        /** The files could not be read or written. */
        IO("i/o error", false);

        private final String label;
        private final boolean refusal;

        Kind(String label, boolean refusal) {
            this.label = label;
            this.refusal = refusal;
        }

        /** A short label, such as {@code tampered}. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;

    public SkillException(Kind kind, String message) {
        super(oneLine(message));
        this.kind = kind;
    }

    public SkillException(Kind kind, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the skill itself is refused (exit status 126 on the CLI). */
    public boolean refusal() {
        return kind.refusal;
    }

    /** {@code LABEL: MESSAGE}, the line a user sees after {@code airlock: }. */
    public String line() {
        return kind.label + ": " + getMessage();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return t.length() > 500 ? t.substring(0, 500) + "..." : t;
    }
}
