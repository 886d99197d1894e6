-- Every staff action, written in the transaction of the action itself.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at_ms       INTEGER NOT NULL,
    actor_id    TEXT NOT NULL REFERENCES accounts (id),
    actor_email TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
CREATE INDEX audit_log_by_actor ON audit_log (actor_email, at_ms);
CREATE INDEX audit_log_by_action ON audit_log (action, at_ms);
