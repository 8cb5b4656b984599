package dev.airlock.core.net;

import java.util.Locale;

/** Request paths and rule path prefixes. */
final class Paths {
    private Paths() {}

    /** A rule's path prefix: {@code /v1/*} becomes {@code /v1/}. */
    static String prefix(String path) {
        String p = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
        if (p.indexOf('*') >= 0) {
            throw new IllegalArgumentException("* is allowed only at the end of the path");
        }
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        check(p);
        return p;
    }

    /**
     * Refuses a path whose meaning a server could read differently from the rule: dot segments,
     * encoded dots, slashes or backslashes, backslashes and control characters.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static void check(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\' || c >= 0x80) {
                throw new IllegalArgumentException(
                        "path has a space, control, backslash or non-ASCII character");
            }
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e")
                || lower.contains("%2f")
                || lower.contains("%5c")
                || lower.contains("%00")) {
            throw new IllegalArgumentException("path has an encoded dot, slash or backslash");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("path has a . or .. segment");
            }
        }
    }

    /** Whether {@code path} lies under {@code prefix} (see {@link NetRule}). */
    static boolean under(String path, String prefix) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
