-- Fulfilment (carrier, tracking, when paid and shipped), staff-only timeline
-- notes, provider payment references, and refunds with their lines.

ALTER TABLE orders ADD COLUMN paid_at INTEGER;

ALTER TABLE orders ADD COLUMN shipped_at INTEGER;

ALTER TABLE orders ADD COLUMN carrier TEXT;

ALTER TABLE orders ADD COLUMN tracking_number TEXT;

ALTER TABLE orders ADD COLUMN payment_reference TEXT;

CREATE INDEX orders_by_status_paid ON orders (status, paid_at);

ALTER TABLE order_events ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    id                 TEXT PRIMARY KEY,
    order_id           TEXT NOT NULL REFERENCES orders (id),
    status             TEXT NOT NULL CHECK (status IN ('requested', 'declined', 'pending', 'succeeded', 'failed')),
    requested_cents    INTEGER NOT NULL CHECK (requested_cents >= 0),
    amount_cents       INTEGER NOT NULL DEFAULT 0 CHECK (amount_cents >= 0),
    reason             TEXT NOT NULL,
    requested_by       TEXT NOT NULL,
    decided_by         TEXT,
    decision_note      TEXT NOT NULL DEFAULT '',
    restock            INTEGER NOT NULL DEFAULT 0,
    provider_refund_id TEXT UNIQUE,
    created_at         INTEGER NOT NULL,
    decided_at         INTEGER,
    settled_at         INTEGER
);
CREATE INDEX refunds_by_order ON refunds (order_id, status);
CREATE INDEX refunds_by_status ON refunds (status, created_at);

CREATE TABLE refund_lines (
    refund_id    TEXT NOT NULL REFERENCES refunds (id),
    sku          TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (refund_id, sku)
);
