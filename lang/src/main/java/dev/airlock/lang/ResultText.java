package dev.airlock.lang;

import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The text a model reads of a {@link CodeTool} run: how it ended (with a hint for a limit), whether
 * a session lost its state, what the sandbox denied, and the program's output cut to length.
 */
final class ResultText {
    /** The most denials a result's text lists: 5 (each different rule and detail once). */
    static final int MAX_DENIALS_SHOWN = 5;

    private ResultText() {}

    /**
     * The text a model reads: a first line saying how the run ended (with a hint for a limit),
     * whether a session lost its state, the denials, then {@code stdout:} and {@code stderr:}
     * sections (stderr only when not empty).
     */
    static String describe(Execution e, String out, String err, int maxChars) {
        Outcome o = e.outcome();
        StringBuilder t = new StringBuilder(headline(o));
        if (e.reset()) {
            t.append(
                    "\nThe session was reset: variables, functions and imports from earlier calls"
                            + " are gone (files in /workspace were kept).");
        }
        Set<String> denials = new LinkedHashSet<>();
        for (Denial d : o.denials()) {
            denials.add(d.detail() + " (rule " + d.rule() + ")");
        }
        if (!denials.isEmpty()) {
            t.append("\nThe sandbox denied:");
            int shown = 0;
            for (String d : denials) {
                if (shown++ == MAX_DENIALS_SHOWN) {
                    t.append("\n- and ").append(denials.size() - MAX_DENIALS_SHOWN).append(" more");
                    break;
                }
                t.append("\n- ").append(d);
            }
        }
        t.append("\nstdout:");
        t.append(out.isEmpty() ? " (empty)" : "\n" + cut(out, maxChars));
        if (!err.isEmpty()) {
            t.append("\nstderr:\n").append(cut(err, maxChars));
        }
        return t.toString();
    }

    private static String headline(Outcome o) {
        switch (o.status()) {
            case OK:
                return "Finished normally (exit code 0).";
            case EXIT:
                int code = o.exitCode() == null ? 1 : o.exitCode();
                return code == 0
                        ? "Finished normally (exit code 0)."
                        : "Failed with exit code "
                                + code
                                + " (an uncaught exception or an explicit exit; stderr says"
                                + " which).";
            case LIMIT:
                return "Stopped by the sandbox: " + o.message() + ". " + hint(o.kind());
            case TRAP:
                return "The interpreter crashed in the sandbox: "
                        + o.message()
                        + ". Try simpler code.";
            case REJECTED:
                return "Could not run the code: " + o.message() + ".";
            default:
                return "The sandbox failed to run the code: " + o.message() + ".";
        }
    }

    private static String hint(String kind) {
        switch (kind == null ? "" : kind) {
            case "time":
                return "The code ran longer than allowed: make it do less work or use a faster"
                        + " algorithm.";
            case "memory":
                return "The code needed more memory than allowed: work on less data at once.";
            case "output":
                return "The code printed more than allowed: print a summary instead.";
            case "stack":
                return "The recursion went too deep: use a loop instead.";
            case "fs-quota":
                return "The code wrote more files or bytes than allowed.";
            case "fuel":
                return "The code used up its instruction budget: make it do less work.";
            case "interrupted":
                return "The run was interrupted.";
            default:
                return "";
        }
    }

    /** At most {@code max} characters: the beginning and the end, with a note between them. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int head = max / 2;
        int tail = max - head;
        return s.substring(0, head)
                + "\n[... "
                + (s.length() - head - tail)
                + " characters not shown ...]\n"
                + s.substring(s.length() - tail);
    }
}
