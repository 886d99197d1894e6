-- Automation rules the job runner applies (one row, edited by admins;
-- booleans as 0/1), and what each rule did: one row per rule and subject
-- (an order), taken in the transaction of the action, so a rule acts at
-- most once per order however many runners run.
CREATE TABLE automation_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    detractors           INTEGER NOT NULL DEFAULT 1 CHECK (detractors IN (0, 1)),
    unpicked_orders      INTEGER NOT NULL DEFAULT 1 CHECK (unpicked_orders IN (0, 1)),
    unpicked_after_hours INTEGER NOT NULL DEFAULT 24 CHECK (unpicked_after_hours BETWEEN 1 AND 720),
    late_orders          INTEGER NOT NULL DEFAULT 1 CHECK (late_orders IN (0, 1)),
    small_returns        INTEGER NOT NULL DEFAULT 0 CHECK (small_returns IN (0, 1)),
    small_return_max_cents INTEGER NOT NULL DEFAULT 3000 CHECK (small_return_max_cents BETWEEN 0 AND 50000),
    small_returns_per_customer INTEGER NOT NULL DEFAULT 2 CHECK (small_returns_per_customer BETWEEN 1 AND 20),
    updated_at_ms        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO automation_settings (id) VALUES (1);

-- `outcome`: `done`, or `skipped` when the rule looked and chose not to
-- act (a return past the customer's limit, left to finance).
CREATE TABLE automation_actions (
    rule    TEXT NOT NULL,
    subject TEXT NOT NULL,
    at_ms   INTEGER NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'done' CHECK (outcome IN ('done', 'skipped')),
    PRIMARY KEY (rule, subject)
);

-- The actor of the audit rows the rules write: a support account nobody
-- can sign in to (disabled, and its password hash is no hash).
INSERT INTO accounts (id, email, password_hash, name, role, created_at, disabled_at)
VALUES ('00000000000000000000000000000a70', 'automation@comptoir.invalid', '!', 'automation', 'support', 0, 0);

-- The day an order was promised to arrive by, from its shipping method's
-- estimate at checkout (the end of that Paris day, unix ms); none for
-- orders placed before.
ALTER TABLE orders ADD COLUMN promised_by_ms INTEGER;

-- The outbox also carries escalations to staff (`order_escalated`) and the
-- late-delivery message to a guest (`order_late`). SQLite
-- cannot change a CHECK in place: the table is rebuilt, rows kept.
-- sqlite only
CREATE TABLE outbox_rebuilt (
    id              TEXT PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'order_shipped', 'refund_settled', 'order_escalated', 'order_late')),
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
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;

-- postgres only
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('order_confirmation', 'order_shipped', 'refund_settled', 'order_escalated', 'order_late'));
