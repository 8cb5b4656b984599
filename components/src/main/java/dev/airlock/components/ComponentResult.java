package dev.airlock.components;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Outcome;
import java.util.Objects;

/**
 * The result of one call into a component's export.
 *
 * @param outcome how the call ended ({@code ok}, or a trap or limit as for any run)
 * @param value the returned value as JSON when the outcome is ok ({@code null} JSON for a function
 *     without a result); {@code null} otherwise
 * @param error true when the function returns a {@code result} and the guest returned its error
 *     case ({@code value} is then {@code {"error": ...}})
 */
public record ComponentResult(Outcome outcome, JsonNode value, boolean error) {
    public ComponentResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * The outcome as a command's: a returned {@code result} error ends as exit code 1 (as a {@code
     * wasi:cli/run} error does); anything else as the call ended.
     */
    public Outcome asCommand() {
        if (outcome.status() != dev.airlock.core.Status.OK || !error) {
            return outcome;
        }
        return new Outcome(
                dev.airlock.core.Status.EXIT,
                1,
                null,
                "exited with code 1",
                outcome.usage(),
                outcome.denials(),
                outcome.moduleSha256());
    }

    /** The outcome of a component refused before it ran, with its one-line reason. */
    public static Outcome refused(String message, String sha256) {
        return new Outcome(
                dev.airlock.core.Status.REJECTED,
                null,
                "component",
                "component rejected: " + message,
                dev.airlock.core.Usage.NONE,
                java.util.List.of(),
                sha256);
    }
}
