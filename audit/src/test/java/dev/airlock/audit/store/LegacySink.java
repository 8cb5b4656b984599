package dev.airlock.audit.store;

import dev.airlock.audit.SealedBatch;
import dev.airlock.audit.SealedRecord;
import dev.airlock.audit.TrailSink;
import java.sql.Connection;
import java.sql.PreparedStatement;

/** Appends as schema version 3 did: one chain keyed by position, its head apart. */
final class LegacySink implements TrailSink {
    private final Backend backend;

    LegacySink(Backend backend) {
        this.backend = backend;
    }

    @Override
    public void append(SealedBatch batch) throws java.io.IOException {
        try (Connection c = backend.raw();
                PreparedStatement p =
                        c.prepareStatement(
                                "INSERT INTO audit_events (seq, run_id, type, event_time,"
                                        + " denied, hash, line, session_id)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement h =
                        c.prepareStatement(
                                "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            for (SealedRecord r : batch.records()) {
                p.setLong(1, r.seq());
                p.setString(2, r.runId());
                p.setString(3, r.type());
                p.setLong(4, r.timeMillis());
                p.setBoolean(5, r.denied());
                p.setString(6, r.hash());
                p.setString(7, r.line());
                p.setString(8, r.sessionId());
                p.executeUpdate();
                if ("checkpoint".equals(r.type())) {
                    h.setLong(1, r.seq());
                    h.setString(2, r.hash());
                    h.executeUpdate();
                }
            }
        } catch (java.sql.SQLException e) {
            throw new java.io.IOException(e);
        }
    }

    @Override
    public void close() {}
}
