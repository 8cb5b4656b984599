-- Airlock store, schema version 1. Written for both SQLite and PostgreSQL: times are
-- milliseconds since the epoch (BIGINT), JSON is kept as TEXT, booleans as BOOLEAN.
-- Statements end with a semicolon at the end of a line; lines starting with -- are comments.

-- One row per finished run.
CREATE TABLE runs (
    run_id VARCHAR(64) PRIMARY KEY,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL,
    module_sha256 VARCHAR(64),
    status VARCHAR(16) NOT NULL,
    kind VARCHAR(64),
    exit_code INTEGER,
    message TEXT NOT NULL,
    wall_millis BIGINT NOT NULL,
    memory_peak_bytes BIGINT NOT NULL,
    stdout_bytes BIGINT NOT NULL,
    stderr_bytes BIGINT NOT NULL,
    host_calls BIGINT NOT NULL,
    denials TEXT NOT NULL,
    tenant_id VARCHAR(200),
    session_id VARCHAR(200)
);
CREATE INDEX runs_started ON runs (started_at);
CREATE INDEX runs_ended ON runs (ended_at);
CREATE INDEX runs_session ON runs (session_id);

-- The sealed audit trail: one row per record, line is the exact sealed JSON text.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    run_id VARCHAR(64),
    type VARCHAR(16) NOT NULL,
    event_time BIGINT NOT NULL,
    denied BOOLEAN NOT NULL,
    hash CHAR(64) NOT NULL,
    line TEXT NOT NULL
);
CREATE INDEX audit_events_run ON audit_events (run_id, seq);
CREATE INDEX audit_events_type ON audit_events (type, seq);
CREATE INDEX audit_events_denied ON audit_events (denied, seq);

-- Where the chain continues from after pruning: the last deleted checkpoint (its line is kept
-- so that its signature can still be checked). Position 0 and the genesis hash before any prune.
CREATE TABLE audit_anchor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash CHAR(64) NOT NULL,
    line TEXT
);
INSERT INTO audit_anchor (id, seq, hash, line)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', NULL);

-- The latest checkpoint ever written, updated with every batch that holds one: a trail cut back
-- to an earlier checkpoint no longer reaches it.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Snapshot metadata (the snapshots themselves live at location).
CREATE TABLE snapshots (
    snapshot_id VARCHAR(64) PRIMARY KEY,
    session_id VARCHAR(200) NOT NULL,
    created_at BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    location TEXT NOT NULL
);
CREATE INDEX snapshots_session ON snapshots (session_id, created_at);
