package dev.airlock.skills.box;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Python's version rules (PEP 440) that choosing a wheel from the local package folder
 * needs: versions ({@code 1.2}, {@code 2.0rc1}, {@code 1.0.post2}, {@code 3.0.dev1}; a local {@code
 * +label} is ignored) ordered as pip orders them, and specifiers ({@code ==}, {@code !=}, {@code
 * <}, {@code <=}, {@code >}, {@code >=}, {@code ~=}, {@code ===}, and {@code ==1.2.*} / {@code
 * !=1.2.*}), comma-separated, all of which must hold. Pre-releases and development releases are
 * chosen only when a specifier names one, as pip does by default.
 */
final class PipVersions {
    private PipVersions() {}

    private static final Pattern VERSION =
            Pattern.compile(
                    "v?(\\d+(?:\\.\\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\\d*))?"
                            + "(?:[-_.]?(?:post|rev|r)[-_.]?(\\d*)|-(\\d+))?"
                            + "(?:[-_.]?dev[-_.]?(\\d*))?(?:\\+[a-z0-9.]+)?");

    private static final Pattern CLAUSE = Pattern.compile("(===|==|!=|~=|<=|>=|<|>)\\s*(\\S+)");

    /**
     * A parsed version: its release numbers, pre-release kind (0 a, 1 b, 2 rc, 3 none) and number,
     * post number (-1 none) and dev number ({@link Long#MAX_VALUE} none).
     */
    record Version(long[] release, int pre, long preN, long post, long dev)
            implements Comparable<Version> {
        boolean isPre() {
            return pre < 3 || dev != Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Version o) {
            int n = Math.max(release.length, o.release.length);
            for (int i = 0; i < n; i++) {
                int c = Long.compare(at(i), o.at(i));
                if (c != 0) {
                    return c;
                }
            }
            // a dev release of a final version sorts before its pre-releases
            int c = Integer.compare(rank(), o.rank());
            if (c == 0) {
                c = Long.compare(preN, o.preN);
            }
            if (c == 0) {
                c = Long.compare(post, o.post);
            }
            return c != 0 ? c : Long.compare(dev, o.dev);
        }

        private int rank() {
            return pre == 3 && post < 0 && dev != Long.MAX_VALUE ? -1 : pre;
        }

        long at(int i) {
            return i < release.length ? release[i] : 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Version v && compareTo(v) == 0;
        }

        @Override
        public int hashCode() {
            return 0; // equal versions may spell their release differently (1.0 and 1.0.0)
        }
    }

    /** The version, or null if it is not one pip would read. */
    static Version parse(String s) {
        Matcher m = VERSION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        String[] parts = m.group(1).split("\\.");
        long[] release = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            release[i] = Long.parseLong(parts[i]);
        }
        int pre = 3;
        long preN = 0;
        if (m.group(2) != null) {
            pre =
                    switch (m.group(2)) {
                        case "a", "alpha" -> 0;
                        case "b", "beta" -> 1;
                        default -> 2;
                    };
            preN = m.group(3).isEmpty() ? 0 : Long.parseLong(m.group(3));
        }
        long post = -1;
        if (m.group(4) != null) {
            post = m.group(4).isEmpty() ? 0 : Long.parseLong(m.group(4));
        } else if (m.group(5) != null) {
            post = Long.parseLong(m.group(5));
        }
        long dev = Long.MAX_VALUE;
        if (m.group(6) != null) {
            dev = m.group(6).isEmpty() ? 0 : Long.parseLong(m.group(6));
        }
        return new Version(release, pre, preN, post, dev);
    }

    /** A specifier: its clauses, which must all hold. */
    record Spec(List<String[]> clauses) {
        /**
         * Whether {@code written} (a version as a wheel's name spells it) satisfies every clause; a
         * pre-release only if a clause names one or {@code anyPre}. With no clauses any version is
         * allowed, even one that is not PEP 440's.
         */
        boolean allows(String written, boolean anyPre) {
            Version v = parse(written);
            if (v == null) {
                return clauses.isEmpty();
            }
            boolean namesPre = false;
            for (String[] c : clauses) {
                if (!c[1].endsWith(".*")) {
                    Version b = parse(c[1]);
                    namesPre |= b != null && b.isPre();
                }
            }
            if (v.isPre() && !namesPre && !anyPre) {
                return false;
            }
            for (String[] c : clauses) {
                if (!holds(c[0], c[1], v, written)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The specifier written after a requirement's name (empty: any version).
     *
     * @throws IllegalArgumentException naming a clause that is not one
     */
    static Spec spec(String written) {
        List<String[]> out = new ArrayList<>();
        String s = written.strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!s.isBlank()) {
            for (String part : s.split(",", -1)) {
                Matcher m = CLAUSE.matcher(part.strip());
                String v = m.matches() ? m.group(2) : "";
                boolean wild =
                        v.endsWith(".*") && (m.group(1).equals("==") || m.group(1).equals("!="));
                if (!m.matches()
                        || (!m.group(1).equals("===")
                                && parse(wild ? v.substring(0, v.length() - 2) : v) == null)) {
                    throw new IllegalArgumentException("not a version specifier: " + part.strip());
                }
                out.add(new String[] {m.group(1), v});
            }
        }
        return new Spec(List.copyOf(out));
    }

    private static boolean holds(String op, String bound, Version v, String written) {
        if (op.equals("===")) {
            return written.strip().equalsIgnoreCase(bound);
        }
        if (bound.endsWith(".*")) {
            Version prefix = parse(bound.substring(0, bound.length() - 2));
            boolean match = true;
            for (int i = 0; i < prefix.release().length; i++) {
                match &= v.at(i) == prefix.release()[i];
            }
            return op.equals("==") == match;
        }
        Version b = parse(bound);
        int c = v.compareTo(b);
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> { // ~=X.Y.Z: >= X.Y.Z and == X.Y.*
                boolean prefix = true;
                for (int i = 0; i < b.release().length - 1; i++) {
                    prefix &= v.at(i) == b.release()[i];
                }
                yield c >= 0 && prefix && b.release().length > 1;
            }
        };
    }
}
