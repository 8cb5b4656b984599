package dev.airlock.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.airlock.core.Denial;
import dev.airlock.core.Outcome;
import dev.airlock.core.Usage;
import java.util.List;
import java.util.Map;

/**
 * The result of an execution: its outcome one to one ({@code status} is {@code ok}, {@code exit},
 * {@code trap}, {@code limit}, {@code rejected} or {@code error}), the output and the files the run
 * created or changed under {@code /workspace}. A guest failure is still a result, not an error.
 *
 * @param runId the run's id ({@code GET /v1/runs/{id}}, its audit trail)
 * @param sessionId the session, for executions in one; else absent
 * @param status the outcome's status
 * @param exitCode the guest's exit code for {@code ok} and {@code exit}, else null
 * @param kind the trap kind, the limit kind or the rejection reason, else null
 * @param message one human-readable line
 * @param stdout standard output, as text (invalid UTF-8 replaced), at most the output cap
 * @param stderr standard error, likewise
 * @param usage what the run consumed
 * @param denials the policy denials met, in order
 * @param files files created or changed under {@code /workspace}, by path
 * @param sessionReset for executions in a session: whether the sandbox stopped the code and the
 *     session was reset (to its last snapshot, or a fresh interpreter keeping its files)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ExecutionResult(
        String runId,
        String sessionId,
        String status,
        Integer exitCode,
        String kind,
        String message,
        String stdout,
        String stderr,
        UsageView usage,
        List<DenialView> denials,
        Map<String, FileContent> files,
        Boolean sessionReset) {

    /** A result from an outcome and the run's output. */
    public static ExecutionResult of(
            String runId,
            String sessionId,
            Outcome o,
            String stdout,
            String stderr,
            Map<String, FileContent> files,
            Boolean sessionReset) {
        return new ExecutionResult(
                runId,
                sessionId,
                o.status().id(),
                o.exitCode(),
                o.kind(),
                o.message(),
                stdout,
                stderr,
                UsageView.of(o.usage()),
                o.denials().stream().map(DenialView::of).toList(),
                files,
                sessionReset);
    }

    /**
     * {@link Usage} in JSON; {@code fuel} is null for runs without a budget; {@code startMillis} is
     * the interpreter's start-up before the run (outside {@code wallMillis} and the time limit).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UsageView(
            long wallMillis,
            long memoryPeakBytes,
            long stdoutBytes,
            long stderrBytes,
            long hostCalls,
            Long fuel,
            long startMillis) {
        public static UsageView of(Usage u) {
            return new UsageView(
                    u.wallMillis(),
                    u.memoryPeakBytes(),
                    u.stdoutBytes(),
                    u.stderrBytes(),
                    u.hostCalls(),
                    u.metered() ? u.fuel() : null,
                    u.startMillis());
        }
    }

    /** A policy denial: the host call, the rule, and what was asked. */
    public record DenialView(String call, String rule, String detail) {
        public static DenialView of(Denial d) {
            return new DenialView(d.call(), d.rule(), d.detail());
        }
    }
}
