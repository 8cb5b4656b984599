package dev.airlock.lang;

import java.util.List;
import java.util.Objects;

/**
 * A program for an interpreter: its source text, the name it goes by and its arguments.
 *
 * <p>Python: tracebacks name the program {@code name} and show its lines, {@code sys.argv} is
 * {@code [name, *args]} and {@code __file__} is {@code name}, as {@code python3 NAME ARGS} would
 * have them; without a name the program is {@code "<string>"} and {@code sys.argv} is {@code ["-c",
 * *args]}, as with {@code python3 -c}. JavaScript ignores both for now (errors name {@code
 * <input>}).
 *
 * @param code the source text
 * @param name the program's file name as the user knows it (for example {@code "script.py"}), or
 *     null for a snippet
 * @param args the program's arguments (never null; copied)
 */
public record Program(String code, String name, List<String> args) {
    /** The longest name accepted, in characters. */
    public static final int MAX_NAME = 4096;

    /**
     * @throws NullPointerException if {@code code} or {@code args} (or one of them) is null
     * @throws IllegalArgumentException if {@code name} is empty, longer than {@link #MAX_NAME} or
     *     holds a NUL or line break
     */
    public Program {
        Objects.requireNonNull(code, "code");
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        if (name != null
                && (name.isEmpty()
                        || name.length() > MAX_NAME
                        || name.indexOf('\0') >= 0
                        || name.indexOf('\n') >= 0
                        || name.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException(
                    "a program's name is 1 to "
                            + MAX_NAME
                            + " characters without NUL or line breaks");
        }
    }

    /** A snippet: no name, no arguments. */
    public static Program of(String code) {
        return new Program(code, null, List.of());
    }

    /** A program read from the file the user calls {@code name}, with arguments. */
    public static Program file(String name, String code, List<String> args) {
        return new Program(code, Objects.requireNonNull(name, "name"), args);
    }
}
