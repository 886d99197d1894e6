-- A purchase order drafted by hand and retried with the same
-- Idempotency-Key answers with the draft it first made (a double click, a
-- timeout retried, drafts once).
CREATE TABLE purchase_order_keys (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    po_id        TEXT NOT NULL REFERENCES purchase_orders (id),
    created_at   INTEGER NOT NULL
);
