-- Schema version 4: one hash chain per writer (each process that records into the store writes
-- its own chain, so several processes, or several servers on one PostgreSQL, never fork a chain).
-- Records are keyed by (chain, seq); the chain's anchor and head move into audit_chains, one row
-- per writer. The single chain of earlier versions becomes the writer 'legacy', closed when its
-- last record is a checkpoint and left open (to be sealed as an unclean stop) when it is not.

CREATE TABLE audit_records (
    chain VARCHAR(64) NOT NULL,
    seq BIGINT NOT NULL,
    run_id VARCHAR(64),
    type VARCHAR(16) NOT NULL,
    event_time BIGINT NOT NULL,
    denied BOOLEAN NOT NULL,
    hash CHAR(64) NOT NULL,
    line TEXT NOT NULL,
    session_id VARCHAR(200),
    PRIMARY KEY (chain, seq)
);
INSERT INTO audit_records (chain, seq, run_id, type, event_time, denied, hash, line, session_id)
    SELECT 'legacy', seq, run_id, type, event_time, denied, hash, line, session_id
    FROM audit_events;

-- state: open (a writer holds it, or stopped without closing it) or closed (sealed and done).
CREATE TABLE audit_chains (
    chain VARCHAR(64) PRIMARY KEY,
    state VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    anchor_seq BIGINT NOT NULL,
    anchor_hash CHAR(64) NOT NULL,
    anchor_line TEXT,
    head_seq BIGINT NOT NULL,
    head_hash CHAR(64) NOT NULL
);
INSERT INTO audit_chains
    (chain, state, created_at, anchor_seq, anchor_hash, anchor_line, head_seq, head_hash)
    SELECT 'legacy',
        CASE WHEN h.seq >= COALESCE((SELECT MAX(e.seq) FROM audit_events e), 0)
            THEN 'closed' ELSE 'open' END,
        0, a.seq, a.hash, a.line, h.seq, h.hash
    FROM audit_anchor a, audit_head h
    WHERE a.seq > 0 OR EXISTS (SELECT 1 FROM audit_events);

DROP TABLE audit_events;
DROP TABLE audit_anchor;
DROP TABLE audit_head;
ALTER TABLE audit_records RENAME TO audit_events;
CREATE INDEX audit_events_run ON audit_events (run_id, chain, seq);
CREATE INDEX audit_events_type ON audit_events (type, chain, seq);
CREATE INDEX audit_events_denied ON audit_events (denied, chain, seq);
CREATE INDEX audit_events_session ON audit_events (session_id, chain, seq);
