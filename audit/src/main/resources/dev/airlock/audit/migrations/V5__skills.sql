-- Schema version 5: the skill registry. One row per installed version of a skill, with what the
-- registry lists (publisher, key, digest, entry kind), its manifest (skill.json as text) and its
-- signed archive (the reproducible .skill archive of its files, signature.json included), from
-- which it is verified again each time it is taken out. BYTEA is PostgreSQL's binary type; SQLite
-- keeps a blob as it is whatever the declared type.
CREATE TABLE skills (
    name VARCHAR(64) NOT NULL,
    version VARCHAR(64) NOT NULL,
    publisher VARCHAR(200) NOT NULL,
    key_id VARCHAR(64) NOT NULL,
    fingerprint VARCHAR(64) NOT NULL,
    digest CHAR(64) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    installed_at BIGINT NOT NULL,
    manifest TEXT NOT NULL,
    archive BYTEA NOT NULL,
    PRIMARY KEY (name, version)
);

-- Which tenants see a skill (all its versions): one row per tenant, '*' for every tenant; a skill
-- without rows is seen by every tenant. Removed with the skill's last version.
CREATE TABLE skill_visibility (
    name VARCHAR(64) NOT NULL,
    tenant VARCHAR(64) NOT NULL,
    PRIMARY KEY (name, tenant)
);
