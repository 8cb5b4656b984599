-- Schema version 2: audit records carry the session of their run (NULL for runs outside sessions
-- and for checkpoints), so that a session's trail can be listed.
ALTER TABLE audit_events ADD COLUMN session_id VARCHAR(200);
CREATE INDEX audit_events_session ON audit_events (session_id, seq);
