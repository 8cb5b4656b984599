package dev.airlock.server.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.airlock.server.api.FileContent;
import dev.airlock.server.api.SessionInfo;
import dev.airlock.server.api.SnapshotInfo;
import java.time.Instant;
import java.util.List;

/**
 * The MCP tools' results that differ from the HTTP API's bodies: every one names its session {@code
 * sessionId} (and a snapshot {@code snapshotId}), so a model never has to tell an {@code id} of one
 * kind from another. Their JSON schemas are in {@code outputs.json}.
 */
final class McpResults {
    private McpResults() {}

    /** A session: {@code create_session}, {@code restore_session}, {@code fork_session}. */
    record Session(
            String sessionId,
            String language,
            Instant createdAt,
            Instant lastUsedAt,
            Instant expiresAt,
            List<String> snapshots) {
        static Session of(SessionInfo i) {
            return new Session(
                    i.id(),
                    i.language(),
                    i.createdAt(),
                    i.lastUsedAt(),
                    i.expiresAt(),
                    i.snapshots());
        }
    }

    /** {@code list_sessions}. */
    record Sessions(List<Session> sessions) {}

    /** {@code snapshot_session}. */
    record Snapshot(String snapshotId, String sessionId, Instant createdAt, long memoryBytes) {
        static Snapshot of(SnapshotInfo i) {
            return new Snapshot(i.id(), i.sessionId(), i.createdAt(), i.memoryBytes());
        }
    }

    /** {@code close_session}. */
    record Closed(String sessionId, boolean closed) {}

    /**
     * {@code upload_file} (no content) and {@code download_file}: the content as text when it is
     * UTF-8, else in base64.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record File(String sessionId, String path, long size, String content, String base64) {
        static File of(String sessionId, String path, byte[] bytes) {
            Object json = FileContent.of(bytes).json();
            if (json instanceof String text) {
                return new File(sessionId, path, bytes.length, text, null);
            }
            return new File(
                    sessionId,
                    path,
                    bytes.length,
                    null,
                    java.util.Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** {@code list_files}. */
    record Files(String sessionId, List<String> files) {}

    /** A path as the sandbox shows it: relative paths are under {@code /workspace}. */
    static String absolute(String path) {
        return path.startsWith("/") ? path : "/workspace/" + path;
    }
}
