package dev.airlock.lang;

import dev.airlock.core.Outcome;
import dev.airlock.core.Status;
import java.util.Map;

/**
 * The result of running one snippet.
 *
 * @param outcome how the sandbox saw it: {@code ok}, or a trap or limit (an uncaught exception or
 *     {@code sys.exit(n)} in the program is {@code exit} with the program's status)
 * @param reset whether the session's state was lost (after a trap or limit the interpreter is
 *     replaced by a fresh one, or by the last snapshot restored)
 * @param files for a one-shot run given files: the files under {@code /workspace} that the run
 *     created or changed, by guest path; otherwise empty
 */
public record Execution(Outcome outcome, boolean reset, Map<String, byte[]> files) {
    public Execution {
        java.util.Objects.requireNonNull(outcome, "outcome");
        files = Map.copyOf(files);
    }

    /** A result without files. */
    public Execution(Outcome outcome, boolean reset) {
        this(outcome, reset, Map.of());
    }

    /**
     * The exit status a native {@code python3} or {@code node} would have had: 0 when the program
     * ended normally, its own status for an exit or an uncaught exception (1), and 125 when the
     * sandbox stopped it.
     */
    public int exitCode() {
        Status s = outcome.status();
        if (s == Status.OK) {
            return 0;
        }
        if (s == Status.EXIT) {
            return outcome.exitCode() == null ? 1 : outcome.exitCode();
        }
        if (s == Status.REJECTED) {
            return 126;
        }
        if (s == Status.ERROR) {
            return 70;
        }
        return 125;
    }
}
