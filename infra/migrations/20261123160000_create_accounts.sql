-- Customer and staff accounts, server-side sessions, and who bought what.

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('customer', 'admin', 'support', 'warehouse', 'finance')),
    created_at    INTEGER NOT NULL
);

-- The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

ALTER TABLE orders ADD COLUMN customer_id TEXT REFERENCES accounts (id);
