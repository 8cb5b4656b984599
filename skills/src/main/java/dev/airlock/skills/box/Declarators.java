package dev.airlock.skills.box;

import java.util.ArrayList;
import java.util.List;

/**
 * The names a {@code const}, {@code let} or {@code var} declaration binds, for {@link EsModules}:
 * plain names and destructuring patterns ({@code {a, b: c, ...d}}, {@code [e, , f = 1]}), over
 * several declarators, skipping the initialisers (strings, templates, comments, regular expressions
 * and nesting included).
 */
final class Declarators extends JsCursor {
    Declarators(String src, int pos) {
        super(src, pos);
    }

    @Override
    BoxException error(String what) {
        return new BoxException(what);
    }

    /** The bound names, or {@code null} if the declaration is not understood. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        while (true) {
            if (!pattern(out)) {
                return null;
            }
            space();
            if (peek() == '=') {
                pos++;
                if (!skipExpression()) {
                    return out;
                }
            }
            space();
            if (peek() != ',') {
                return out;
            }
            pos++;
        }
    }

    /**
     * After an element of a destructuring pattern: takes a comma, or leaves {@code close} (the
     * pattern's end) in place; false for anything else.
     */
    private boolean separator(char close) {
        space();
        if (peek() == ',') {
            pos++;
            return true;
        }
        return peek() == close;
    }

    private boolean pattern(List<String> out) {
        space();
        char c = peek();
        if (c == '{') {
            pos++;
            while (true) {
                space();
                if (peek() == '}') {
                    pos++;
                    return true;
                }
                if (src.startsWith("...", pos)) {
                    pos += 3;
                    if (!pattern(out)) {
                        return false;
                    }
                } else {
                    String key = null;
                    if (peek() == '[') {
                        if (!skipBalanced()) {
                            return false;
                        }
                    } else if (peek() == '"' || peek() == '\'') {
                        skipString(peek());
                    } else {
                        key = identifier();
                        if (key == null) {
                            return false;
                        }
                    }
                    space();
                    if (peek() == ':') {
                        pos++;
                        if (!pattern(out)) {
                            return false;
                        }
                    } else if (key != null) {
                        out.add(key);
                    } else {
                        return false;
                    }
                    if (!defaultValue()) {
                        return false;
                    }
                }
                if (!separator('}')) {
                    return false;
                }
            }
        }
        if (c == '[') {
            pos++;
            while (true) {
                space();
                if (peek() == ']') {
                    pos++;
                    return true;
                }
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                if (src.startsWith("...", pos)) {
                    pos += 3;
                }
                if (!pattern(out) || !defaultValue()) {
                    return false;
                }
                if (!separator(']')) {
                    return false;
                }
            }
        }
        String n = identifier();
        if (n == null) {
            return false;
        }
        out.add(n);
        return true;
    }

    /** An optional {@code = value} inside a pattern (ends at , or a closing bracket). */
    private boolean defaultValue() {
        space();
        if (peek() != '=') {
            return true;
        }
        pos++;
        int depth = 0;
        while (pos < src.length()) {
            char c = peek();
            if ((c == ',' || c == '}' || c == ']') && depth == 0) {
                return true;
            }
            if (!skipToken()) {
                return false;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        return false;
    }

    /**
     * Skips an initialiser up to a {@code ,} or the end of the statement ({@code ;}, or a line end
     * after which the expression cannot go on); whether a {@code ,} ends it.
     */
    private boolean skipExpression() {
        int depth = 0;
        char last = '=';
        while (pos < src.length()) {
            int before = pos;
            boolean newline = space();
            if (pos >= src.length()) {
                return false;
            }
            char c = peek();
            if (depth == 0) {
                if (c == ',') {
                    return true;
                }
                if (c == ';' || c == ')' || c == '}' || c == ']') {
                    return false;
                }
                if (newline && before > 0 && ends(last) && !continues(c)) {
                    return false;
                }
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (!skipToken()) {
                return false;
            }
            last = c;
        }
        return false;
    }

    /** Whether an expression may end after a token that starts with {@code c}. */
    private static boolean ends(char c) {
        return "=+-*/%&|^!?:.,<>~(".indexOf(c) < 0;
    }

    /** Whether a line starting with {@code c} continues the expression before it. */
    private static boolean continues(char c) {
        return ".,?:+-*/%&|^=)]}>".indexOf(c) >= 0;
    }

    /** Skips one token (a string, template, comment, name, number or punctuation character). */
    private boolean skipToken() {
        char c = peek();
        if (c == '"' || c == '\'') {
            skipString(c);
        } else if (c == '`') {
            return skipTemplate();
        } else if (Character.isJavaIdentifierPart(c)) {
            while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))) {
                pos++;
            }
        } else {
            pos++;
        }
        return true;
    }

    /** Skips a template literal, its substitutions included. */
    private boolean skipTemplate() {
        while (skipTemplateText()) {
            int depth = 0;
            while (true) {
                if (pos >= src.length()) {
                    return false;
                }
                char c = peek();
                if (c == '}' && depth == 0) {
                    break; // skipTemplateText goes on from this brace
                }
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                }
                if (!skipToken()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Skips from an opening bracket to its matching closing one. */
    private boolean skipBalanced() {
        int depth = 0;
        while (pos < src.length()) {
            space();
            char c = peek();
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    pos++;
                    return true;
                }
            }
            if (!skipToken()) {
                return false;
            }
        }
        return false;
    }
}
