package dev.airlock.components;

import java.util.Objects;

/**
 * A component that cannot be loaded or run, or a call that cannot be made, with one line naming the
 * problem. Never carries a host class name.
 */
public final class ComponentException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of problem. */
    public enum Kind {
        /** The bytes are not a well-formed component (truncated, bad LEB, bad section). */
        MALFORMED("malformed"),
        /** Well-formed but invalid (an index out of range, a type mismatch). */
        INVALID("invalid"),
        /** Valid but uses a feature Airlock does not run yet. */
        UNSUPPORTED("unsupported"),
        /** An import of the component that nothing supplies. */
        UNKNOWN_IMPORT("unknown-import"),
        /** A call's function name or arguments do not fit the component. */
        BAD_CALL("bad-call");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The lower-case id, used as an outcome's reason. */
        public String id() {
            return id;
        }
    }

    private final Kind kind;

    public ComponentException(Kind kind, String message) {
        super(oneLine(Objects.requireNonNull(message, "message")), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Control characters (from names in the input) escaped, so that a message is one line. */
    private static String oneLine(String m) {
        StringBuilder b = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public Kind kind() {
        return kind;
    }

    static ComponentException malformed(String message) {
        return new ComponentException(Kind.MALFORMED, message);
    }

    static ComponentException invalid(String message) {
        return new ComponentException(Kind.INVALID, message);
    }

    static ComponentException unsupported(String what) {
        return new ComponentException(Kind.UNSUPPORTED, "unsupported: " + what);
    }
}
