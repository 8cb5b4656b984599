package dev.airlock.core;

import java.util.Locale;

/**
 * Where {@code random_get} takes its bytes from.
 *
 * @param kind real, seeded or denied
 * @param seed the seed when {@code kind} is {@link Kind#SEEDED}, else 0
 */
public record RandomMode(Kind kind, long seed) {
    /** The kinds of randomness. */
    public enum Kind {
        /** A {@link java.security.SecureRandom} (the default). */
        REAL,
        /** A deterministic generator from a seed: the same seed gives the same bytes. */
        SEEDED,
        /** {@code random_get} fails with {@code ENOTCAPABLE} and is recorded as a denial. */
        DENY
    }

    public static final RandomMode REAL = new RandomMode(Kind.REAL, 0);
    public static final RandomMode DENY = new RandomMode(Kind.DENY, 0);

    public static RandomMode seeded(long seed) {
        return new RandomMode(Kind.SEEDED, seed);
    }

    /**
     * Parses {@code real}, {@code deny} or {@code seed:N}.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static RandomMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("real")) {
            return REAL;
        }
        if (t.equals("deny")) {
            return DENY;
        }
        if (t.startsWith("seed:")) {
            try {
                return seeded(Long.parseLong(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid seed in '" + text + "'");
            }
        }
        throw new IllegalArgumentException(
                "invalid random mode '" + text + "' (use real, seed:N or deny)");
    }
}
