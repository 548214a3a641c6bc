-- The hash-chained audit log (issue 7; docs/internals/audit.md).
-- seq is assigned by audit_append as the previous seq + 1 inside the writer's transaction, so a gap means a row was
-- removed. hash = SHA-256(prev_hash || canonical content of this row), hex; the first entry's prev_hash is 64 zeros.
-- The application never updates or deletes rows here. There are deliberately no triggers enforcing that: trigger
-- syntax is not portable, and a trigger stops only the application, which already has no such statement; the real
-- guards are `safeguard audit verify` and, on PostgreSQL, revoking UPDATE and DELETE on audit_log from the
-- application's role.
-- No foreign keys: an entry must outlive anything it mentions and must be writable for actions by unknown users.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_user_id TEXT,
    action        TEXT NOT NULL,
    object_type   TEXT,
    object_id     TEXT,
    child_id      TEXT,
    reason        TEXT,
    detail        TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
-- "Who looked at this child's record, when and why" and "what did this user see", each over a date range.
CREATE INDEX audit_log_child_at ON audit_log(child_id, at);
CREATE INDEX audit_log_actor_at ON audit_log(actor_user_id, at);
