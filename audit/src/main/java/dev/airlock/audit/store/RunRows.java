package dev.airlock.audit.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Denial;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The runs table. */
final class RunRows {
    /** Writes the denials column (a streaming generator: no mapper on a run's way). */
    private static final class Generators {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    private static final String BASE_COLUMNS =
            "run_id, started_at, ended_at, module_sha256, status, kind, exit_code, message,"
                    + " wall_millis, memory_peak_bytes, stdout_bytes, stderr_bytes, host_calls,"
                    + " denials, tenant_id, session_id";
    private static final String COLUMNS = BASE_COLUMNS + ", request_id, trace_id";

    private RunRows() {}

    /** The node that recorded the run (empty: unknown run, or one recorded by no named node). */
    static java.util.Optional<String> node(Db db, String runId) throws StoreException {
        return db.read(
                "read the node of run " + runId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement("SELECT node_id FROM runs WHERE run_id = ?")) {
                        p.setString(1, runId);
                        try (java.sql.ResultSet r = p.executeQuery()) {
                            return java.util.Optional.ofNullable(r.next() ? r.getString(1) : null);
                        }
                    }
                });
    }

    static void insert(Db db, RunRecord run, String nodeId) throws StoreException {
        db.write(
                "record run " + run.runId(),
                c -> {
                    if (exists(c, run.runId())) {
                        throw new StoreException(
                                "store "
                                        + db.location
                                        + ": run "
                                        + run.runId()
                                        + " is already recorded");
                    }
                    // a run without origin names only the columns older schemas have
                    boolean origin = !run.origin().isNone();
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO runs ("
                                            + (origin ? COLUMNS : BASE_COLUMNS)
                                            // each named only when set: older schemas lack them
                                            + (nodeId == null ? "" : ", node_id")
                                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                            + " ?, ?"
                                            + (origin ? ", ?, ?" : "")
                                            + (nodeId == null ? "" : ", ?")
                                            + ")")) {
                        p.setString(1, run.runId());
                        p.setLong(2, run.startedAt().toEpochMilli());
                        p.setLong(3, run.endedAt().toEpochMilli());
                        p.setString(4, run.moduleSha256());
                        p.setString(5, run.status().id());
                        p.setString(6, run.kind());
                        if (run.exitCode() == null) {
                            p.setNull(7, Types.INTEGER);
                        } else {
                            p.setInt(7, run.exitCode());
                        }
                        p.setString(8, run.message());
                        Usage u = run.usage();
                        p.setLong(9, u.wallMillis());
                        p.setLong(10, u.memoryPeakBytes());
                        p.setLong(11, u.stdoutBytes());
                        p.setLong(12, u.stderrBytes());
                        p.setLong(13, u.hostCalls());
                        p.setString(14, denials(run.denials()));
                        p.setString(15, run.tenantId());
                        p.setString(16, run.sessionId());
                        int next = 17;
                        if (origin) {
                            p.setString(next++, run.origin().requestId());
                            p.setString(next++, run.origin().traceId());
                        }
                        if (nodeId != null) {
                            p.setString(next, nodeId);
                        }
                        p.executeUpdate();
                    }
                    return null;
                });
    }

    private static boolean exists(java.sql.Connection c, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM runs WHERE run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    static Optional<RunRecord> get(Db db, String runId) throws StoreException {
        List<RunRecord> found =
                query(db, "SELECT " + COLUMNS + " FROM runs WHERE run_id = ?", runId, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    static List<RunRecord> list(Db db, String sessionId, int limit) throws StoreException {
        String where = sessionId == null ? "" : " WHERE session_id = ?";
        return query(
                db,
                "SELECT "
                        + COLUMNS
                        + " FROM runs"
                        + where
                        + " ORDER BY started_at DESC, run_id LIMIT "
                        + limit,
                sessionId,
                limit);
    }

    static List<RunRecord> listOfTenant(Db db, String tenant, int limit) throws StoreException {
        return query(
                db,
                "SELECT "
                        + COLUMNS
                        + " FROM runs WHERE tenant_id = ? ORDER BY started_at DESC, run_id LIMIT "
                        + limit,
                tenant,
                limit);
    }

    private static List<RunRecord> query(Db db, String sql, String param, int limit)
            throws StoreException {
        return db.read(
                "read runs",
                c -> {
                    List<RunRecord> out = new ArrayList<>();
                    try (PreparedStatement p = c.prepareStatement(sql)) {
                        if (param != null) {
                            p.setString(1, param);
                        }
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next() && out.size() < limit) {
                                out.add(row(db, r));
                            }
                        }
                    }
                    return out;
                });
    }

    private static RunRecord row(Db db, ResultSet r) throws SQLException, StoreException {
        String id = r.getString(1);
        int exit = r.getInt(7);
        Integer exitCode = r.wasNull() ? null : exit;
        return new RunRecord(
                id,
                Instant.ofEpochMilli(r.getLong(2)),
                Instant.ofEpochMilli(r.getLong(3)),
                r.getString(4),
                status(db, id, r.getString(5)),
                r.getString(6),
                exitCode,
                r.getString(8),
                new Usage(r.getLong(9), r.getLong(10), r.getLong(11), r.getLong(12), r.getLong(13)),
                denials(db, id, r.getString(14)),
                r.getString(15),
                r.getString(16),
                new RunOrigin(r.getString(17), r.getString(18)));
    }

    private static Status status(Db db, String id, String s) throws StoreException {
        for (Status st : Status.values()) {
            if (st.id().equals(s)) {
                return st;
            }
        }
        throw new StoreException(
                "store " + db.location + ": run " + id + " has an unknown status " + s);
    }

    static String denials(List<Denial> denials) {
        if (denials.isEmpty()) {
            return "[]"; // most runs: no need to set up a generator
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Generators.FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (Denial d : denials) {
                g.writeStartObject();
                g.writeStringField("call", d.call());
                g.writeStringField("rule", d.rule());
                g.writeStringField("detail", d.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static List<Denial> denials(Db db, String id, String json) throws StoreException {
        try {
            List<Denial> out = new ArrayList<>();
            for (JsonNode n : Json.MAPPER.readTree(json)) {
                out.add(new Denial(text(n, "call"), text(n, "rule"), text(n, "detail")));
            }
            return out;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException(
                    "store " + db.location + ": run " + id + " has unreadable denials", e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
