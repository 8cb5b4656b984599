package dev.airlock.skills.box;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A position in JavaScript source and the lexing both {@link EsModules} and {@link Declarators}
 * need: white space and comments, strings, template text, regular expression literals, names and
 * punctuation.
 */
abstract class JsCursor {
    private static final Set<String> BEFORE_REGEX =
            Set.of(
                    "return",
                    "typeof",
                    "instanceof",
                    "in",
                    "of",
                    "new",
                    "delete",
                    "void",
                    "throw",
                    "case",
                    "do",
                    "else",
                    "yield",
                    "await");

    final String src;
    int pos;

    JsCursor(String src, int pos) {
        this.src = src;
        this.pos = pos;
    }

    final boolean at(String s) {
        return src.startsWith(s, pos);
    }

    final char peek() {
        return pos < src.length() ? src.charAt(pos) : '\0';
    }

    final void skipTo(char c) {
        int end = src.indexOf(c, pos);
        pos = end < 0 ? src.length() : end;
    }

    /** Skips white space and comments; whether a line ended among them. */
    final boolean space() {
        boolean newline = false;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                newline = true;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (at("//")) {
                skipTo('\n');
            } else if (at("/*")) {
                int end = src.indexOf("*/", pos + 2);
                if (src.substring(pos, end < 0 ? src.length() : end).indexOf('\n') >= 0) {
                    newline = true;
                }
                pos = end < 0 ? src.length() : end + 2;
            } else {
                break;
            }
        }
        return newline;
    }

    /** Skips a string literal from its opening quote. */
    final void skipString(char quote) {
        pos++;
        while (pos < src.length() && src.charAt(pos) != quote && src.charAt(pos) != '\n') {
            pos += src.charAt(pos) == '\\' ? 2 : 1;
        }
        pos++;
    }

    /**
     * Skips a template's text from its opening {@code `} (or the {@code }} that closes a
     * substitution); whether it stopped after a {@code ${} (the template goes on after the
     * substitution's closing brace).
     */
    final boolean skipTemplateText() {
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == '`') {
                pos++;
                return false;
            } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
                pos += 2;
                return true;
            } else {
                pos++;
            }
        }
        return false;
    }

    /**
     * Whether a {@code /} after this token starts a regular expression (rather than dividing):
     * {@code prev} is the last significant character ({@code 'a'} for a name, whose text is {@code
     * prevWord}).
     */
    static boolean regexAllowed(char prev, String prevWord) {
        if (prev == 'a') {
            return BEFORE_REGEX.contains(prevWord);
        }
        return ")]}`'\"".indexOf(prev) < 0 && !Character.isDigit(prev);
    }

    /** Skips a regular expression literal from its opening {@code /}, flags included. */
    final void skipRegex() {
        pos++;
        boolean inClass = false;
        while (pos < src.length() && src.charAt(pos) != '\n') {
            char c = src.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                pos++;
                break;
            }
            pos++;
        }
        while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))) {
            pos++;
        }
    }

    /** The name at the cursor (after white space), or {@code null}. */
    final String identifier() {
        space();
        int start = pos;
        while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))) {
            pos++;
        }
        return start == pos || !Character.isJavaIdentifierStart(src.charAt(start))
                ? null
                : src.substring(start, pos);
    }

    /** Takes the word {@code w} (a whole word, after white space) if it comes next. */
    final boolean word(String w) {
        space();
        if (src.startsWith(w, pos)
                && (pos + w.length() >= src.length()
                        || !Character.isJavaIdentifierPart(src.charAt(pos + w.length())))) {
            pos += w.length();
            return true;
        }
        return false;
    }

    /** Takes the character {@code c} (after white space) if it comes next. */
    final boolean punct(char c) {
        space();
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** A failure at the cursor, naming the file and line. */
    abstract BoxException error(String what);

    /** The name at the cursor, which must be there. */
    final String name() throws BoxException {
        String n = identifier();
        if (n == null) {
            throw error("a name was expected in an import or export");
        }
        return n;
    }

    /** A module name or a name in a list (which may be a string); as source text. */
    final String specifier() throws BoxException {
        space();
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')) {
            int start = pos;
            skipString(src.charAt(pos));
            return src.substring(start, pos);
        }
        throw error("a module name in quotes was expected");
    }

    final String listName() throws BoxException {
        space();
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')) {
            String q = specifier();
            return q.substring(1, q.length() - 1);
        }
        return name();
    }

    /** {@code { a, b as c }}: pairs of (outside name, inside name). */
    final List<String[]> list() throws BoxException {
        List<String[]> pairs = new ArrayList<>();
        if (!punct('{')) {
            throw error("'{' was expected");
        }
        while (!punct('}')) {
            String first = listName();
            String second = word("as") ? listName() : first;
            pairs.add(new String[] {first, second});
            if (!punct(',')) {
                if (!punct('}')) {
                    throw error("',' or '}' was expected");
                }
                break;
            }
        }
        return pairs;
    }

    /** An optional {@code with {...}} (or {@code assert}) and {@code ;} after a module name. */
    final void end() {
        int save = pos;
        if (word("with") || word("assert")) {
            space();
            int close = src.indexOf('}', pos);
            pos = close < 0 ? save : close + 1;
        }
        save = pos;
        if (!punct(';')) {
            pos = save;
        }
    }
}
