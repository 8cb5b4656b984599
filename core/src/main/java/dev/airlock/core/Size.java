package dev.airlock.core;

import java.util.Locale;

/**
 * Parses and prints byte sizes such as {@code 256MiB}, {@code 16KiB}, {@code 1GiB} or {@code 512}
 * (plain bytes). Every unit is binary, whichever way it is written, case-insensitively: {@code K},
 * {@code KB} and {@code KiB} are 1024; {@code M}, {@code MB} and {@code MiB} 1024²; {@code G},
 * {@code GB} and {@code GiB} 1024³ (as {@code java -Xmx} and container tools read them, so that
 * {@code 256MB} is a whole number of 64KiB WebAssembly pages); {@code B} or no unit is bytes.
 */
public final class Size {
    private Size() {}

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException if the text is not a non-negative size with a known unit
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        String t = text.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException(
                    "invalid size '" + text + "' (expected e.g. 512, 64KiB, 256MiB, 1GiB)");
        }
        long value;
        try {
            value = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        String unit = t.substring(i).trim().toLowerCase(Locale.ROOT);
        long factor;
        switch (unit) {
            case "":
            case "b":
                factor = 1;
                break;
            case "k":
            case "kb":
            case "kib":
                factor = 1L << 10;
                break;
            case "m":
            case "mb":
            case "mib":
                factor = 1L << 20;
                break;
            case "g":
            case "gb":
            case "gib":
                factor = 1L << 30;
                break;
            default:
                throw new IllegalArgumentException(
                        "unknown size unit '"
                                + t.substring(i)
                                + "' in '"
                                + text
                                + "' (use B, K, M or G, also written KB or KiB, MB or MiB, GB or GiB)");
        }
        if (value > Long.MAX_VALUE / factor) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        return value * factor;
    }

    /** Formats a byte count with the largest binary unit that divides it exactly. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "KiB";
        }
        return bytes + "B";
    }
}
