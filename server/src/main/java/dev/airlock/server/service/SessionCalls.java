package dev.airlock.server.service;

import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Policy;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.CodeRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.api.SessionInfo;
import dev.airlock.server.api.SessionRequest;
import dev.airlock.server.api.SnapshotInfo;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The session calls of {@link AirlockService}: opening a session, running code in it, its files,
 * snapshots, restores and forks. Each holds the tenant's session for its one operation ({@link
 * Sessions#acquire}, {@link Sessions#finish}), saying whether it changed the session.
 */
final class SessionCalls {
    private final Sessions sessions;
    private final SessionCopies copies;
    private final SessionPolicies policies;
    private final Function<String, TenantLimits> ceilings;
    private final Workers workers;
    private final Quotas quotas;
    private final ServiceMeters meters;
    private final Recorder recorder;
    private final Clock clock;

    /**
     * @param ceilings a tenant's ceilings and quotas
     */
    SessionCalls(
            ServiceParts parts,
            SessionPolicies policies,
            Function<String, TenantLimits> ceilings,
            Clock clock) {
        this.sessions = parts.sessions;
        this.copies = parts.copies;
        this.policies = policies;
        this.ceilings = ceilings;
        this.workers = parts.workers;
        this.quotas = parts.quotas;
        this.meters = parts.meters;
        this.recorder = parts.recorder;
        this.clock = clock;
    }

    /** See {@link AirlockService#createSession}. */
    SessionInfo create(Principal who, SessionRequest r) {
        if (r == null) {
            throw ApiException.badRequest("a session request is required");
        }
        Language language = Requests.language(r.language(), false);
        Policy policy = policies.policy(who.tenant(), r);
        Map<String, byte[]> files = Requests.files(r.files());
        String request = policies.toKeep(r); // null: a lone server, which keeps none
        SessionEntry e = sessions.open(who.tenant(), language, policy, files, workers, request);
        return request == null ? e.info() : sessions.info(who.tenant(), e.id());
    }

    /** See {@link AirlockService#runInSession}. */
    ExecutionResult run(Principal who, String id, CodeRequest r, OutputListener listener) {
        if (r == null || r.code() == null) {
            throw ApiException.badRequest("'code' is required");
        }
        TenantLimits ceiling = ceilings.apply(who.tenant());
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean ran = false;
        try (Quotas.Permit permit = quotas.acquire(who.tenant(), ceiling)) {
            Timer.Sample t = meters.start();
            ExecutionResult result =
                    workers.run(
                            () -> {
                                Output output = new Output(listener);
                                e.capture.arm(e.id());
                                Instant started = clock.instant();
                                Execution x = e.session.run(r.code(), output.stdio());
                                String runId =
                                        recorder.record(
                                                e.capture,
                                                x.outcome(),
                                                started,
                                                clock.instant(),
                                                who.tenant(),
                                                e.id());
                                return ExecutionResult.of(
                                        runId,
                                        e.id(),
                                        x.outcome(),
                                        output.stdout(),
                                        output.stderr(),
                                        null,
                                        x.reset());
                            });
            ran = true;
            meters.executed(t, e.session.language().id(), result.status());
            return result;
        } finally {
            sessions.finish(e, ran);
        }
    }

    /** See {@link AirlockService#upload}. */
    void upload(Principal who, String id, String path, byte[] content) {
        String p = Requests.guestPath(path);
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean written = false;
        try {
            e.session.upload(p, content);
            written = true;
        } catch (IOException x) {
            throw ApiException.badRequest("cannot write " + p + ": " + x.getMessage());
        } finally {
            sessions.finish(e, written);
        }
    }

    /** See {@link AirlockService#download}. */
    byte[] download(Principal who, String id, String path) {
        String p = Requests.guestPath(path);
        SessionEntry e = sessions.acquire(who.tenant(), id);
        try {
            return e.session.download(p);
        } catch (IOException x) {
            throw ApiException.notFound("no file " + p);
        } finally {
            sessions.finish(e, false);
        }
    }

    /** See {@link AirlockService#files}. */
    List<String> files(Principal who, String id) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        try {
            return e.session.files(Requests.WORKSPACE);
        } catch (IOException x) {
            return List.of();
        } finally {
            sessions.finish(e, false);
        }
    }

    /** See {@link SessionCopies#snapshot}. */
    SnapshotInfo snapshot(Principal who, String id) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean taken = false;
        try {
            SnapshotInfo info = copies.snapshot(e);
            taken = true; // the snapshot is now the state a stopped call resets to
            return info;
        } finally {
            sessions.finish(e, taken);
        }
    }

    /** See {@link AirlockService#restore}. */
    SessionInfo restore(Principal who, String id, String snapshotId) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        boolean restored = false;
        try {
            copies.restore(e, snapshotId);
            restored = true;
        } finally {
            sessions.finish(e, restored);
        }
        return sessions.info(who.tenant(), id);
    }

    /** See {@link AirlockService#fork}. */
    SessionInfo fork(Principal who, String id) {
        SessionEntry e = sessions.acquire(who.tenant(), id);
        String copy;
        try {
            copy = copies.fork(e).id();
        } finally {
            sessions.finish(e, false);
        }
        return sessions.info(who.tenant(), copy);
    }
}
