package dev.airlock.skills.box;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Environment markers of Python requirements (PEP 508), the part after {@code ;} in {@code
 * Requires-Dist: tomli; python_version < "3.11"}: comparisons of marker variables and quoted
 * strings joined by {@code and}, {@code or} and parentheses. A comparison is between versions (PEP
 * 440, {@link PipVersions}) when the operator is a version operator and both sides are versions,
 * else between strings ({@code ==}, {@code !=}, {@code in}, {@code not in}; ordering operators
 * compare the strings as Python does). They are evaluated against the sandbox's Python ({@link
 * #SANDBOX}), so that a dependency meant for another platform or an older Python is not installed.
 */
final class PipMarkers {
    /**
     * The marker variables of the Python that boxes run (the bundled CPython 3.13 on WASI), as
     * Python's own {@code packaging} computes them there; {@code extra} is empty (no extras are
     * installed).
     */
    static final Map<String, String> SANDBOX =
            Map.ofEntries(
                    Map.entry("os_name", "posix"),
                    Map.entry("sys_platform", "wasi"),
                    Map.entry("platform_machine", "wasm32"),
                    Map.entry("platform_python_implementation", "CPython"),
                    Map.entry("platform_release", "0.0.0"),
                    Map.entry("platform_system", "wasi"),
                    Map.entry("platform_version", "0.0.0"),
                    Map.entry("python_version", "3.13"),
                    Map.entry("python_full_version", "3.13.5"),
                    Map.entry("implementation_name", "cpython"),
                    Map.entry("implementation_version", "3.13.5"),
                    Map.entry("extra", ""));

    private final List<String> tokens;
    private final Map<String, String> env;
    private int at;

    private PipMarkers(List<String> tokens, Map<String, String> env) {
        this.tokens = tokens;
        this.env = env;
    }

    /**
     * Whether {@code marker} holds in {@code env}.
     *
     * @throws IllegalArgumentException if it is not a marker expression, or names a variable that
     *     {@code env} lacks
     */
    static boolean holds(String marker, Map<String, String> env) {
        PipMarkers p = new PipMarkers(tokens(marker), env);
        if (p.tokens.isEmpty()) {
            throw new IllegalArgumentException("empty marker");
        }
        boolean v = p.or();
        if (p.at != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected " + p.tokens.get(p.at) + " in marker");
        }
        return v;
    }

    private boolean or() {
        boolean v = and();
        while (peek("or")) {
            at++;
            v |= and(); // both sides parsed: a malformed right side is refused either way
        }
        return v;
    }

    private boolean and() {
        boolean v = comparison();
        while (peek("and")) {
            at++;
            v &= comparison();
        }
        return v;
    }

    private boolean comparison() {
        if (peek("(")) {
            at++;
            boolean v = or();
            expect(")");
            return v;
        }
        String left = value();
        String op = next("a comparison operator");
        if (op.equals("not")) {
            expect("in");
            op = "not in";
        }
        String right = value();
        return compare(left, op, right);
    }

    private static boolean compare(String left, String op, String right) {
        switch (op) {
            case "in":
                return right.contains(left);
            case "not in":
                return !right.contains(left);
            case "===":
                return left.equals(right);
            case "==", "!=", "<", "<=", ">", ">=", "~=":
                break;
            default:
                throw new IllegalArgumentException("not a marker operator: " + op);
        }
        boolean versions =
                PipVersions.parse(left) != null
                        && (PipVersions.parse(right) != null
                                || right.endsWith(".*") && op.matches("==|!="));
        if (versions) {
            return PipVersions.spec(op + right).allows(left, true);
        }
        int c = left.compareTo(right);
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException("~= needs versions: " + left);
        };
    }

    /** A quoted string's contents, or a marker variable's value. */
    private String value() {
        String t = next("a marker variable or a quoted string");
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'')) {
            return t.substring(1, t.length() - 1);
        }
        String v = env.get(t);
        if (v == null) {
            throw new IllegalArgumentException("unknown marker variable " + t);
        }
        return v;
    }

    private boolean peek(String t) {
        return at < tokens.size() && tokens.get(at).equals(t);
    }

    private String next(String what) {
        if (at == tokens.size()) {
            throw new IllegalArgumentException("marker ends where " + what + " was expected");
        }
        return tokens.get(at++);
    }

    private void expect(String t) {
        String got = next(t);
        if (!got.equals(t)) {
            throw new IllegalArgumentException("expected " + t + " in marker, not " + got);
        }
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"' || c == '\'') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed string in marker");
                }
                out.add(s.substring(i, end + 1));
                i = end + 1;
            } else if ("<>=!~".indexOf(c) >= 0) {
                int j = i;
                while (j < s.length() && "<>=!~".indexOf(s.charAt(j)) >= 0) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length()
                        && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                throw new IllegalArgumentException("unexpected " + c + " in marker");
            }
        }
        return out;
    }
}
