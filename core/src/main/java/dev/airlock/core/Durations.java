package dev.airlock.core;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses and prints durations such as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 12h}, {@code
 * 30d}.
 */
public final class Durations {
    private Durations() {}

    /**
     * Parses a duration with a unit of {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}.
     *
     * @throws IllegalArgumentException if the text is not a non-negative duration with a unit
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12) {
            throw new IllegalArgumentException(
                    "invalid duration '" + text + "' (expected e.g. 500ms, 10s, 2m)");
        }
        long value = Long.parseLong(t.substring(0, i));
        switch (t.substring(i)) {
            case "ms":
                return Duration.ofMillis(value);
            case "s":
                return Duration.ofSeconds(value);
            case "m":
                return Duration.ofMinutes(value);
            case "h":
                return Duration.ofHours(value);
            case "d":
                return Duration.ofDays(value);
            default:
                throw new IllegalArgumentException(
                        "invalid duration unit in '" + text + "' (use ms, s, m, h or d)");
        }
    }

    /** Formats a duration in the largest of m, s, ms that divides it exactly. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
