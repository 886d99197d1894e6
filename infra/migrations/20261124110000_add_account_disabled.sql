-- Admins disable staff accounts (no sign-in, sessions ended) instead of deleting them,
-- so the audit log keeps naming who did what.
ALTER TABLE accounts ADD COLUMN disabled_at INTEGER;
