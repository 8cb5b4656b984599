package dev.airlock.server.api;

import dev.airlock.audit.store.RunRecord;
import java.time.Instant;
import java.util.List;

/**
 * A recorded run ({@code GET /v1/runs/{id}}): its outcome, without the output.
 *
 * @param runId the run
 * @param sessionId its session, if any
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param moduleSha256 the module that ran (the interpreter, for code)
 * @param language {@code python} or {@code javascript} when the module is this build's bundled
 *     interpreter, {@code wasm} for any other module, null when none ran
 * @param status the outcome's status
 * @param exitCode the exit code, if any
 * @param kind the trap or limit kind or rejection reason, if any
 * @param message the outcome's line
 * @param usage what it consumed
 * @param denials its denials
 * @param requestId the id of the HTTP request that made it, if any
 * @param traceId the W3C trace id of that request, if any
 * @param node the server node that ran it, when it was one of several (else null)
 */
public record RunView(
        String runId,
        String sessionId,
        Instant startedAt,
        Instant endedAt,
        String moduleSha256,
        String language,
        String status,
        Integer exitCode,
        String kind,
        String message,
        ExecutionResult.UsageView usage,
        List<ExecutionResult.DenialView> denials,
        String requestId,
        String traceId,
        String node) {
    /** The view of a stored run. */
    public static RunView of(RunRecord r) {
        return of(r, null);
    }

    /** The view of a stored run that {@code node} ran. */
    public static RunView of(RunRecord r, String node) {
        return new RunView(
                r.runId(),
                r.sessionId(),
                r.startedAt(),
                r.endedAt(),
                r.moduleSha256(),
                language(r.moduleSha256()),
                r.status().id(),
                r.exitCode(),
                r.kind(),
                r.message(),
                ExecutionResult.UsageView.of(r.usage()),
                r.denials().stream().map(ExecutionResult.DenialView::of).toList(),
                r.origin().requestId(),
                r.origin().traceId(),
                node);
    }

    private static String language(String sha256) {
        if (sha256 == null) {
            return null;
        }
        dev.airlock.lang.Language l = dev.airlock.lang.Language.ofModule(sha256);
        return l == null ? "wasm" : l.id();
    }
}
