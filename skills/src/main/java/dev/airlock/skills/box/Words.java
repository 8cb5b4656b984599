package dev.airlock.skills.box;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dockerfile's word rules: words separated by blanks, single quotes taken literally, double
 * quotes with the escape character before {@code "}, {@code $} and itself, the escape character
 * outside quotes taking the next character literally, and variables {@code $NAME}, {@code ${NAME}},
 * {@code ${NAME:-default}} and {@code ${NAME:+alternative}} replaced (an unset variable is empty).
 */
final class Words {
    private Words() {}

    /** Characters a plain command may not hold outside quotes (pipes, redirections, lists...). */
    private static final String SHELL = "|;&<>()`*?";

    /**
     * The words of {@code s}.
     *
     * @param vars the variables to replace, or {@code null} to keep {@code $} literally
     * @param plain whether shell syntax ({@link #SHELL} characters, {@code $(...)}) is refused
     *     outside quotes, except the list operator {@code &&} which is kept as a word of its own
     * @throws IllegalArgumentException naming the problem (an unterminated quote, shell syntax)
     */
    static List<String> split(String s, Map<String, String> vars, char escape, boolean plain) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
                i++;
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (plain && c == '&' && i + 1 < n && s.charAt(i + 1) == '&' && w.length() == 0) {
                out.add("&&");
                w = null;
                i += 2;
                continue;
            }
            if (plain && SHELL.indexOf(c) >= 0) {
                throw new IllegalArgumentException("shell syntax '" + c + "'");
            }
            if (c == escape) {
                if (i + 1 < n) {
                    w.append(s.charAt(i + 1));
                }
                i += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote");
                }
                w.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == escape && i + 1 < n && "\"$`".indexOf(s.charAt(i + 1)) >= 0
                            || d == escape && i + 1 < n && s.charAt(i + 1) == escape) {
                        w.append(s.charAt(i + 1));
                        i += 2;
                    } else if (d == '$' && vars != null) {
                        i = variable(s, i, vars, w, plain);
                    } else {
                        w.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated double quote");
                }
            } else if (c == '$' && vars != null) {
                i = variable(s, i, vars, w, plain);
            } else {
                w.append(c);
                i++;
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    /** Replaces the variable at {@code s[i]} ('$'); returns the index after it. */
    private static int variable(
            String s, int i, Map<String, String> vars, StringBuilder w, boolean plain) {
        int n = s.length();
        if (i + 1 >= n) {
            w.append('$');
            return i + 1;
        }
        char c = s.charAt(i + 1);
        if (c == '{') {
            int end = s.indexOf('}', i + 2);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated ${");
            }
            String body = s.substring(i + 2, end);
            int op = body.indexOf(':');
            String name = op < 0 ? body : body.substring(0, op);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad variable ${" + body + "}");
            }
            String v = vars.get(name);
            if (op < 0) {
                w.append(v == null ? "" : v);
            } else if (body.startsWith(":-", op)) {
                w.append(v == null || v.isEmpty() ? body.substring(op + 2) : v);
            } else if (body.startsWith(":+", op)) {
                w.append(v == null || v.isEmpty() ? "" : body.substring(op + 2));
            } else {
                throw new IllegalArgumentException("unsupported substitution ${" + body + "}");
            }
            return end + 1;
        }
        if (c == '(' && plain) {
            throw new IllegalArgumentException("command substitution $(...)");
        }
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j == i + 1) {
            w.append('$');
            return i + 1;
        }
        String v = vars.get(s.substring(i + 1, j));
        w.append(v == null ? "" : v);
        return j;
    }

    /** {@code s} with its variables replaced and quotes removed, blanks kept as one space each. */
    static String expand(String s, Map<String, String> vars, char escape) {
        return String.join(" ", split(s, vars, escape, false));
    }
}
