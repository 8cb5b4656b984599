package dev.airlock.core;

/**
 * The result of one {@link GuestInstance#call}: its outcome and, when it is {@link Status#OK}, the
 * export's results.
 *
 * @param outcome how the call ended
 * @param results the export's return values (raw 64-bit; empty unless the call ended {@code ok})
 */
public record CallResult(Outcome outcome, long[] results) {
    public CallResult {
        java.util.Objects.requireNonNull(outcome, "outcome");
        results = results == null ? new long[0] : results.clone();
    }

    /** The first result as an {@code int}, for exports returning a pointer or a status. */
    public int intResult() {
        if (results.length == 0) {
            throw new IllegalStateException("no result: " + outcome.status().id());
        }
        return (int) results[0];
    }

    @Override
    public long[] results() {
        return results.clone();
    }
}
