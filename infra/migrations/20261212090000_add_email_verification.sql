-- E-mail verification by a signed link: when an account's address was
-- verified (NULL: never). Earlier guest orders under that address are
-- attached to the account only then.
ALTER TABLE accounts ADD COLUMN email_verified_at INTEGER;

-- The outbox also carries verification links (`email_verification`), which
-- are about an account, not an order: `order_id` becomes nullable. SQLite
-- cannot change a CHECK or a NOT NULL in place: the table is rebuilt, rows
-- kept. The kind list is the full one, the same as the automation
-- migration's on main ('order_escalated', 'order_late') plus this kind, so
-- it stays right once the branches meet.
-- sqlite only
CREATE TABLE outbox_rebuilt (
    id              TEXT PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'order_shipped', 'refund_settled', 'order_escalated', 'order_late', 'email_verification')),
    order_id        TEXT REFERENCES orders (id),
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

-- sqlite only
INSERT INTO outbox_rebuilt (id, dedupe_key, kind, order_id, recipient, subject, body, created_at, attempts,
                            next_attempt_at, claimed_until, sent_at, last_error)
SELECT id, dedupe_key, kind, order_id, recipient, subject, body, created_at, attempts,
       next_attempt_at, claimed_until, sent_at, last_error FROM outbox;

-- sqlite only
DROP TABLE outbox;

-- sqlite only
ALTER TABLE outbox_rebuilt RENAME TO outbox;

-- sqlite only
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- postgres only
ALTER TABLE outbox ALTER COLUMN order_id DROP NOT NULL;

-- postgres only
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;

-- postgres only
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('order_confirmation', 'order_shipped', 'refund_settled', 'order_escalated', 'order_late', 'email_verification'));
