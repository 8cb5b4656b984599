-- Schema version 8: sessions kept in the store, so that any node sharing it can continue them.
--
-- session_states: one row per open session. request is the JSON the session was opened with (its
-- files left out: they are in the state), from which a node derives the session's policy again.
-- state is the session's manifest (see StateCodec): module hash, one hash per 16 KiB chunk of
-- linear memory (the chunks themselves are in state_chunks), globals, tables and files. base is the
-- manifest a stopped call resets to (NULL: a fresh interpreter). version counts the saved changes;
-- a node saves only over the version it started from. busy_node and busy_until hold the session
-- for one call on one node: another node's call waits for it to end or for busy_until to pass.
CREATE TABLE session_states (
    session_id VARCHAR(64) PRIMARY KEY,
    tenant VARCHAR(64) NOT NULL,
    language VARCHAR(32) NOT NULL,
    request TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    runs INTEGER NOT NULL,
    node_id VARCHAR(200),
    busy_node VARCHAR(200),
    busy_until BIGINT,
    state BYTEA NOT NULL,
    base BYTEA
);
CREATE INDEX session_states_tenant ON session_states (tenant);

-- The snapshots a session took, as manifests over the same chunks; removed with their session.
CREATE TABLE session_snapshots (
    snapshot_id VARCHAR(64) PRIMARY KEY,
    session_id VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    memory_bytes BIGINT NOT NULL,
    state BYTEA NOT NULL
);
CREATE INDEX session_snapshots_session ON session_snapshots (session_id);

-- Memory chunks by the SHA-256 of their bytes, deflated, shared by every manifest that holds the
-- same bytes (most of a session's memory is its interpreter's start image). touched_at is the last
-- time a save referenced the chunk: a chunk no manifest references is deleted only when it was not
-- touched for a while, so that a save under way never loses one.
CREATE TABLE state_chunks (
    hash CHAR(64) PRIMARY KEY,
    data BYTEA NOT NULL,
    touched_at BIGINT NOT NULL
);

-- node_heartbeats: when each server node last said it is alive (every few seconds). A node silent
-- for longer than Store.SILENT_NODE_MILLIS counts as dead: its holds on sessions and its places in
-- tenants' quotas stop counting before their deadlines. A node that never wrote a heartbeat is
-- judged by the deadlines alone.
CREATE TABLE node_heartbeats (
    node_id VARCHAR(200) PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
