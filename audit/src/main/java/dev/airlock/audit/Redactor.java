package dev.airlock.audit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Hides values that look like secrets before they reach the trail: values under names such as
 * {@code token} or {@code password}, well-known credential formats (API keys, cloud access keys,
 * GitHub and Slack tokens, JWTs, PEM blocks, {@code key=value} assignments of secrets) and long
 * unbroken high-entropy strings. Paths (anything with a {@code /}) and ordinary words pass.
 */
public final class Redactor {
    /** What a redacted value becomes. */
    public static final String REDACTED = "[redacted]";

    // Each pattern is searched for (find), which is what matching ".*(pattern).*" against the
    // whole value did, without its backtracking: the writer checks every string argument.
    private static final Pattern SECRET_NAME =
            Pattern.compile(
                    "(?i)secret|token|passw|passphrase|api[_-]?key|auth|credential|private[_-]?key"
                            + "|session[_-]?id|cookie");
    private static final Pattern KNOWN_FORMATS =
            Pattern.compile(
                    "\\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}"
                            + "|\\bAKIA[0-9A-Z]{16}\\b"
                            + "|\\bgh[pousr]_[A-Za-z0-9]{20,}"
                            + "|\\bxox[abprs]-[A-Za-z0-9-]{10,}"
                            + "|\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\."
                            + "|-----BEGIN [A-Z ]*PRIVATE KEY-----"
                            + "|(?i:(password|passwd|secret|token|api[_-]?key)\\s*[=:]\\s*\\S+)");
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9+_=.-]{32,}");

    private Redactor() {}

    /** Whether a value stored under {@code name} should be hidden. */
    public static boolean isSecret(String name, String value) {
        if (name != null && secretName(name)) {
            return true;
        }
        return value != null && looksSecret(value);
    }

    /** Names seen and whether they are secret: argument names recur (at most 4,096 kept). */
    private static final ConcurrentHashMap<String, Boolean> NAMES = new ConcurrentHashMap<>();

    private static boolean secretName(String name) {
        Boolean known = NAMES.get(name);
        if (known != null) {
            return known;
        }
        boolean secret = SECRET_NAME.matcher(name).find();
        if (NAMES.size() < 4096) {
            NAMES.put(name, secret);
        }
        return secret;
    }

    /** Whether a value on its own looks like a credential. */
    public static boolean looksSecret(String value) {
        if (mayHoldKnownFormat(value) && KNOWN_FORMATS.matcher(value).find()) {
            return true;
        }
        return value.length() >= 32 && OPAQUE.matcher(value).matches() && mixed(value);
    }

    /**
     * Whether {@code v} holds what every one of {@link #KNOWN_FORMATS} needs (its fixed text, or
     * the {@code =} or {@code :} of an assignment): most values, such as paths, hold none of it and
     * skip the search.
     */
    private static boolean mayHoldKnownFormat(String v) {
        return v.indexOf('=') >= 0
                || v.indexOf(':') >= 0
                || v.contains("k-")
                || v.contains("AKIA")
                || v.contains("gh")
                || v.contains("xox")
                || v.contains("eyJ")
                || v.contains("-----BEGIN");
    }

    /** Letters and digits both present: a long run of one kind is a word or a number. */
    private static boolean mixed(String v) {
        boolean digit = false;
        boolean letter = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            digit |= Character.isDigit(c);
            letter |= Character.isLetter(c);
        }
        return digit && letter;
    }

    /** {@code value}, or {@link #REDACTED} when it looks secret. */
    public static Object redact(String name, Object value) {
        if (value instanceof String && isSecret(name, (String) value)) {
            return REDACTED;
        }
        return value;
    }
}
