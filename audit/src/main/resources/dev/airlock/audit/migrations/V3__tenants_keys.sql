-- Schema version 3: tenants with their ceilings and quotas, and API keys (only the SHA-256 of a
-- key's secret is kept).
CREATE TABLE tenants (
    name VARCHAR(64) PRIMARY KEY,
    max_timeout_millis BIGINT NOT NULL,
    max_memory_bytes BIGINT NOT NULL,
    max_output_bytes BIGINT NOT NULL,
    max_fuel BIGINT NOT NULL,
    max_concurrent_runs INTEGER NOT NULL,
    max_runs_per_minute INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE api_keys (
    key_id VARCHAR(64) PRIMARY KEY,
    secret_hash CHAR(64) NOT NULL UNIQUE,
    tenant VARCHAR(64) NOT NULL,
    admin BOOLEAN NOT NULL,
    label VARCHAR(200),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant);
CREATE INDEX runs_tenant ON runs (tenant_id, started_at);
