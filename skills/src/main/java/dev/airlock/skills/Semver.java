package dev.airlock.skills;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (semver.org 2.0.0), ordered by precedence; build metadata is ignored. */
public record Semver(
        BigInteger major, BigInteger minor, BigInteger patch, String prerelease, String text)
        implements Comparable<Semver> {
    private static final Pattern FORM =
            Pattern.compile(
                    "(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})"
                            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
                            + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    /**
     * Parses {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}.
     *
     * @throws IllegalArgumentException if it is not a semantic version
     */
    public static Semver parse(String text) {
        if (text == null || text.length() > 64) {
            throw new IllegalArgumentException("not a semantic version (MAJOR.MINOR.PATCH)");
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a semantic version (MAJOR.MINOR.PATCH)");
        }
        return new Semver(
                new BigInteger(m.group(1)),
                new BigInteger(m.group(2)),
                new BigInteger(m.group(3)),
                m.group(4),
                text);
    }

    /** Whether {@code text} is a semantic version. */
    public static boolean valid(String text) {
        return text != null && text.length() <= 64 && FORM.matcher(text).matches();
    }

    @Override
    public int compareTo(Semver o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (prerelease == null || o.prerelease == null) {
            return prerelease == null ? (o.prerelease == null ? 0 : 1) : -1;
        }
        String[] a = prerelease.split("\\.");
        String[] b = o.prerelease.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean an = a[i].chars().allMatch(Character::isDigit);
            boolean bn = b[i].chars().allMatch(Character::isDigit);
            int d;
            if (an && bn) {
                d = new BigInteger(a[i]).compareTo(new BigInteger(b[i]));
            } else if (an != bn) {
                d = an ? -1 : 1;
            } else {
                d = a[i].compareTo(b[i]);
            }
            if (d != 0) {
                return d;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    @Override
    public String toString() {
        return text;
    }
}
