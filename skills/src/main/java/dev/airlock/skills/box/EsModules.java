package dev.airlock.skills.box;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an ES module's source into the CommonJS form the box bundle runs, at build time, keeping
 * every line where it was (so that stack traces name the source's lines):
 *
 * <ul>
 *   <li>{@code import x, {a as b} from "m"}, {@code import * as ns from "m"}, {@code import "m"}
 *       become {@code require} calls where they stand (a default import of a CommonJS module is its
 *       {@code module.exports}, as in Node); the names are bound when the import runs, not live;
 *   <li>every export ({@code export const|let|var|function|class}, {@code export default}, {@code
 *       export {a as b}}, re-exports from another module, {@code export *}) becomes a getter on
 *       {@code exports}, defined on the module's first line, so exports are live and a circular
 *       import sees hoisted functions;
 *   <li>{@code import(...)} becomes a promise of the module's namespace; {@code import.meta.url},
 *       {@code .filename} and {@code .dirname} are the file's.
 * </ul>
 *
 * Top-level {@code await} is not supported (the module body is a function).
 */
final class EsModules extends JsCursor {
    private final String path;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, String> getters = new LinkedHashMap<>();
    private final List<String> stars = new ArrayList<>();
    private int copied;
    private int temp;
    private boolean anonymousFunction;

    private EsModules(String src, String path) {
        super(src, 0);
        this.path = path;
    }

    /**
     * The CommonJS form of an ES module.
     *
     * @throws BoxException for an import or export this transform does not understand
     */
    static String toCommonJs(String src, String path) throws BoxException {
        EsModules m = new EsModules(src, path);
        m.scan();
        StringBuilder head =
                new StringBuilder(
                        "\"use strict\";Object.defineProperty(exports, \"__esModule\", {value:"
                                + " true});");
        if (m.anonymousFunction) { // hoisted: named as Node names it
            head.append(
                    "Object.defineProperty(__airlock_default, \"name\", {value: \"default\"});");
        }
        if (!m.getters.isEmpty()) {
            head.append("__airlockExport(exports, {");
            for (Map.Entry<String, String> g : m.getters.entrySet()) {
                head.append(quote(g.getKey())).append(": () => ").append(g.getValue()).append(", ");
            }
            head.append("});");
        }
        for (String s : m.stars) {
            head.append("var ").append(s).append(";");
        }
        return head + m.out.toString();
    }

    @Override
    BoxException error(String what) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, src.length()); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return new BoxException(path + ":" + line + ": " + what);
    }

    /** Walks the source, skipping strings, comments, templates and regular expressions. */
    private void scan() throws BoxException {
        int depth = 0;
        List<Integer> templates = new ArrayList<>(); // brace depths at which a template resumes
        char prev = ';'; // the last significant character
        String prevWord = "";
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '/' && at("//")) {
                skipTo('\n');
                continue;
            }
            if (c == '/' && at("/*")) {
                int end = src.indexOf("*/", pos + 2);
                pos = end < 0 ? src.length() : end + 2;
                continue;
            }
            if (c == '\'' || c == '"') {
                skipString(c);
                prev = c;
                prevWord = "";
                continue;
            }
            if (c == '`'
                    || (c == '}'
                            && !templates.isEmpty()
                            && templates.get(templates.size() - 1) == depth)) {
                if (c == '}') {
                    templates.remove(templates.size() - 1);
                }
                if (skipTemplateText()) {
                    templates.add(depth);
                }
                prev = '`';
                prevWord = "";
                continue;
            }
            if (c == '/' && regexAllowed(prev, prevWord)) {
                skipRegex();
                prev = '/';
                prevWord = "";
                continue;
            }
            if (Character.isJavaIdentifierStart(c)) {
                int start = pos;
                while (pos < src.length() && Character.isJavaIdentifierPart(src.charAt(pos))) {
                    pos++;
                }
                String word = src.substring(start, pos);
                boolean member = prev == '.' && !prevWord.equals("...");
                if (!member && word.equals("import")) {
                    pos = start;
                    importAt(depth == 0);
                } else if (!member && word.equals("export") && depth == 0) {
                    pos = start;
                    exportAt();
                }
                prev = 'a';
                prevWord = word;
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            }
            if (!Character.isWhitespace(c)) {
                prev = c;
                prevWord = c == '.' && at("...") ? "..." : "";
                if (prevWord.equals("...")) {
                    pos += 2;
                }
            }
            pos++;
        }
        flush(src.length());
    }

    /** Copies the source up to {@code end}. */
    private void flush(int end) {
        out.append(src, copied, end);
        copied = end;
    }

    /** Replaces the source from {@code copied} to {@code pos} by {@code text} and its newlines. */
    private void replace(int start, String text) {
        flush(start);
        out.append(text);
        for (int i = start; i < pos; i++) {
            if (src.charAt(i) == '\n') {
                out.append('\n');
            }
        }
        copied = pos;
    }

    /**
     * An exported declaration ({@code export function f}, {@code export const {a, b} = ...}): its
     * {@code export} keyword, from {@code start} to {@code after}, is dropped and each of its
     * {@code names} exported under its own name.
     */
    private void exportDeclared(List<String> names, int start, int after) {
        for (String n : names) {
            getters.put(n, n);
        }
        pos = after;
        replace(start, "");
    }

    private String tempName() {
        return "__airlock_m" + temp++;
    }

    private void importAt(boolean statement) throws BoxException {
        int start = pos;
        pos += "import".length();
        int save = pos;
        space();
        if (pos < src.length() && src.charAt(pos) == '(') {
            pos = save;
            replace(start, "__airlockImport.bind(null, require)");
            return;
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            pos++;
            String what = name();
            String value =
                    switch (what) {
                        case "meta" ->
                                "({url: \"file://\" + __filename, filename: __filename,"
                                        + " dirname: __dirname})";
                        default -> throw error("import." + what + " is not supported");
                    };
            replace(start, value);
            return;
        }
        if (pos < src.length() && src.charAt(pos) == ':') {
            pos = save; // a property named import
            return;
        }
        if (!statement) {
            throw error("an import statement inside a block");
        }
        StringBuilder js = new StringBuilder();
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')) {
            String m = specifier();
            end();
            replace(start, "require(" + m + ");");
            return;
        }
        String m = tempName();
        List<String> binds = new ArrayList<>();
        if (Character.isJavaIdentifierStart(src.charAt(pos))) {
            String def = name();
            binds.add("const " + def + " = __airlockDefault(" + m + ");");
            punct(',');
        }
        space();
        if (punct('*')) {
            if (!word("as")) {
                throw error("'as' was expected after 'import *'");
            }
            binds.add("const " + name() + " = __airlockNs(" + m + ");");
        } else if (pos < src.length() && src.charAt(pos) == '{') {
            for (String[] p : list()) {
                binds.add(
                        "const "
                                + p[1]
                                + " = "
                                + (p[0].equals("default")
                                        ? "__airlockDefault(" + m + ")"
                                        : m + "[" + quote(p[0]) + "]")
                                + ";");
            }
        }
        if (!word("from")) {
            throw error("'from' was expected in an import");
        }
        String spec = specifier();
        end();
        js.append("const ").append(m).append(" = require(").append(spec).append(");");
        binds.forEach(js::append);
        replace(start, js.toString());
    }

    private void exportAt() throws BoxException {
        int start = pos;
        pos += "export".length();
        if (word("default")) {
            int after = pos;
            space();
            boolean async = word("async");
            if (word("function")) {
                punct('*');
                space();
                if (pos < src.length() && src.charAt(pos) == '(') {
                    flush(start);
                    out.append(src.substring(after, pos).stripTrailing())
                            .append(" __airlock_default");
                    copied = pos;
                    getters.put("default", "__airlock_default");
                    anonymousFunction = true;
                } else {
                    getters.put("default", name());
                    pos = after;
                    replace(start, "");
                }
                return;
            }
            if (!async && word("class")) {
                int afterClass = pos;
                space();
                int save = pos;
                boolean anonymous =
                        (pos < src.length() && src.charAt(pos) == '{') || word("extends");
                pos = save;
                if (anonymous) { // "export default class {" becomes "class __airlock_default {"
                    flush(start);
                    copied = after;
                    flush(afterClass);
                    out.append(" __airlock_default");
                    getters.put("default", "__airlock_default");
                } else {
                    getters.put("default", name());
                    pos = after;
                    replace(start, "");
                }
                return;
            }
            pos = after;
            replace(start, "const __airlock_default =");
            getters.put("default", "__airlock_default");
            return;
        }
        int after = pos;
        if (word("async")) {
            if (!word("function")) {
                throw error("'function' was expected after 'export async'");
            }
            punct('*');
            exportDeclared(List.of(name()), start, after);
            return;
        }
        if (word("function")) {
            punct('*');
            exportDeclared(List.of(name()), start, after);
            return;
        }
        if (word("class")) {
            exportDeclared(List.of(name()), start, after);
            return;
        }
        if (word("const") || word("let") || word("var")) {
            List<String> names = new Declarators(src, pos).names();
            if (names == null) {
                throw error("this exported declaration is not understood");
            }
            exportDeclared(names, start, after);
            return;
        }
        if (punct('*')) {
            String alias = word("as") ? listName() : null;
            if (!word("from")) {
                throw error("'from' was expected after 'export *'");
            }
            String spec = specifier();
            end();
            String m = tempName();
            stars.add(m);
            if (alias == null) {
                replace(start, m + " = require(" + spec + "); __airlockStar(exports, " + m + ");");
            } else {
                getters.put(alias, "__airlockNs(" + m + ")");
                replace(start, m + " = require(" + spec + ");");
            }
            return;
        }
        space();
        if (pos < src.length() && src.charAt(pos) == '{') {
            List<String[]> pairs = list();
            int save = pos;
            if (word("from")) {
                String spec = specifier();
                end();
                String m = tempName();
                stars.add(m);
                for (String[] p : pairs) {
                    getters.put(
                            p[1],
                            p[0].equals("default")
                                    ? "__airlockDefault(" + m + ")"
                                    : m + "[" + quote(p[0]) + "]");
                }
                replace(start, m + " = require(" + spec + ");");
                return;
            }
            pos = save;
            end();
            for (String[] p : pairs) {
                getters.put(p[1], p[0]);
            }
            replace(start, "");
            return;
        }
        throw error("this export form is not supported");
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
