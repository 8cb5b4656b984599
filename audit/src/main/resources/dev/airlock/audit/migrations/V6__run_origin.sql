-- Schema version 6: the HTTP request that made a run (its X-Request-Id) and the W3C trace it
-- belongs to, so that a run can be found from a request log line or a trace and back. NULL for
-- runs not made through the HTTP API and for runs recorded before this version.
ALTER TABLE runs ADD COLUMN request_id VARCHAR(200);
ALTER TABLE runs ADD COLUMN trace_id VARCHAR(64);
