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
}
