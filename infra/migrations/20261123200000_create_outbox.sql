-- Notifications written in the same transaction as the change they announce,
-- delivered later by a separate step that retries without sending twice.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'order_shipped', 'refund_settled')),
    order_id        TEXT NOT NULL REFERENCES orders (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
