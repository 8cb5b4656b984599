package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read strictly into its instructions: parser directives ({@code # escape=} and {@code
 * # syntax=}) at the top, comment lines, line continuations with the escape character, and each
 * instruction's arguments in exec form (a JSON array of strings) or shell form (the text). Heredocs
 * and anything that is not an instruction are refused with the line they are on.
 */
public final class Dockerfile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z]+)\\s*=\\s*(.*?)\\s*");
    private static final Pattern KEYWORD =
            Pattern.compile("([A-Za-z]+)(?:\\s+(.*))?", Pattern.DOTALL);

    /** The largest Dockerfile read: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;

    /**
     * One instruction.
     *
     * @param line the line it starts on (1-based)
     * @param keyword the instruction in upper case ({@code RUN}, {@code COPY}, ...)
     * @param args its arguments as written, continuations joined (without the escape and newline)
     * @param exec the exec form's strings, or {@code null} for the shell form
     */
    public record Instruction(int line, String keyword, String args, List<String> exec) {
        /** The instruction as written on one line, shortened to about 60 characters. */
        public String shown() {
            String s = (keyword + " " + args).replaceAll("\\s+", " ").strip();
            return s.length() > 60 ? s.substring(0, 57) + "..." : s;
        }
    }

    private final List<Instruction> instructions;
    private final char escape;

    private Dockerfile(List<Instruction> instructions, char escape) {
        this.instructions = List.copyOf(instructions);
        this.escape = escape;
    }

    /** The instructions in order. */
    public List<Instruction> instructions() {
        return instructions;
    }

    /** The escape character: {@code \} unless a directive says {@code `}. */
    public char escape() {
        return escape;
    }

    /**
     * Parses a Dockerfile's text.
     *
     * @throws BoxException naming the line of the first problem
     */
    public static Dockerfile parse(String text) throws BoxException {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        // parser directives: only at the very top, before any comment, blank line or instruction
        boolean seenEscape = false;
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (name.equals("escape")) {
                if (seenEscape) {
                    throw new BoxException(i + 1, "the escape directive is given twice");
                }
                seenEscape = true;
                String v = m.group(2);
                if (v.equals("`")) {
                    escape = '`';
                } else if (!v.equals("\\")) {
                    throw new BoxException(i + 1, "escape must be \\ or `, not '" + v + "'");
                }
            } else if (!name.equals("syntax") && !name.equals("check")) {
                // an unknown directive is a comment, as for docker; stop reading directives
                break;
            }
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder cur = null;
        int start = 0;
        for (; i < lines.length; i++) {
            String raw = lines[i];
            String trimmed = raw.strip();
            if (trimmed.startsWith("#")) {
                continue; // comments are removed, also inside a continued instruction
            }
            if (cur == null) {
                if (trimmed.isEmpty()) {
                    continue;
                }
                cur = new StringBuilder();
                start = i + 1;
            } else if (trimmed.isEmpty()) {
                continue; // an empty line inside a continuation
            }
            String body = stripTrailing(raw);
            if (!body.isEmpty() && body.charAt(body.length() - 1) == escape) {
                cur.append(body, 0, body.length() - 1).append(' ');
                continue;
            }
            cur.append(body);
            out.add(instruction(start, cur.toString().strip()));
            cur = null;
        }
        if (cur != null && !cur.toString().isBlank()) {
            out.add(instruction(start, cur.toString().strip()));
        }
        if (out.isEmpty()) {
            throw new BoxException(1, "the Dockerfile has no instructions");
        }
        return new Dockerfile(out, escape);
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static Instruction instruction(int line, String text) throws BoxException {
        Matcher m = KEYWORD.matcher(text);
        if (!m.matches()) {
            throw new BoxException(line, "not an instruction: " + shorten(text));
        }
        String keyword = m.group(1).toUpperCase(Locale.ROOT);
        String args = m.group(2) == null ? "" : m.group(2).strip();
        if (args.matches("(?s).*<<-?[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']?.*")
                && (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD"))) {
            throw new BoxException(line, keyword + " with a heredoc is not supported");
        }
        List<String> exec = null;
        if (args.startsWith("[")) {
            exec = execForm(args);
        }
        return new Instruction(line, keyword, args, exec);
    }

    /** The strings of a JSON array, or {@code null} when the text is not one (then shell form). */
    private static List<String> execForm(String args) {
        try {
            JsonNode n = JSON.readTree(args);
            if (n == null || !n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    return null;
                }
                out.add(e.asText());
            }
            return List.copyOf(out);
        } catch (java.io.IOException | RuntimeException e) {
            return null; // as docker: text that is not a JSON array of strings is shell form
        }
    }

    private static String shorten(String s) {
        s = s.replaceAll("\\s+", " ");
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
