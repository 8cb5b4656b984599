-- Schema version 7: several server nodes on one store.
--
-- audit_signers: the public key of every node (or process) that signs checkpoints, by key id, so
-- that every writer's chain verifies from the store alone. A node registers its key at start.
CREATE TABLE audit_signers (
    key_id VARCHAR(64) PRIMARY KEY,
    public_key TEXT NOT NULL,
    node_id VARCHAR(200),
    registered_at BIGINT NOT NULL
);

-- The node that writes each chain (NULL: a process that named no node).
ALTER TABLE audit_chains ADD COLUMN node_id VARCHAR(200);

-- The node that recorded each run (NULL: a process that named no node).
ALTER TABLE runs ADD COLUMN node_id VARCHAR(200);

-- run_slots: the executions that hold (or held in the last minute) a place in their tenant's
-- quotas, on every node: one row per execution, taken when it starts and marked ended when it
-- ends. A row whose node died stays counted as running until expires_at (its start plus the
-- tenant's longest run plus a margin). Rows older than a minute that ended or expired are deleted.
CREATE TABLE run_slots (
    slot_id VARCHAR(64) PRIMARY KEY,
    tenant VARCHAR(64) NOT NULL,
    node_id VARCHAR(200),
    started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ended BOOLEAN NOT NULL
);
CREATE INDEX run_slots_tenant ON run_slots (tenant, started_at);
