-- Suppliers, who supplies each SKU at what cost, and purchase orders
-- (draft -> sent -> received -> closed, or cancelled), received line by
-- line: `received` never exceeds `ordered`, so a line's units reach the
-- shelf once. Each receipt line is a row of purchase_receipts, with its
-- `receipt` stock ledger row and its journal entry (607 / 408).
CREATE TABLE suppliers (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    email          TEXT NOT NULL,
    lead_time_days INTEGER NOT NULL CHECK (lead_time_days BETWEEN 1 AND 180),
    created_at     INTEGER NOT NULL
);

CREATE TABLE sku_supply (
    sku             TEXT PRIMARY KEY REFERENCES variants (sku),
    supplier_id     TEXT NOT NULL REFERENCES suppliers (id),
    unit_cost_cents INTEGER NOT NULL CHECK (unit_cost_cents >= 0),
    safety_days     INTEGER NOT NULL CHECK (safety_days BETWEEN 0 AND 90),
    review_days     INTEGER NOT NULL CHECK (review_days BETWEEN 1 AND 90),
    updated_at      INTEGER NOT NULL
);

CREATE TABLE purchase_orders (
    id          TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL REFERENCES suppliers (id),
    status      TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'received', 'closed', 'cancelled')),
    drafted_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    closed_at   INTEGER
);
CREATE INDEX purchase_orders_by_status ON purchase_orders (status, created_at);

CREATE TABLE purchase_order_lines (
    po_id           TEXT NOT NULL REFERENCES purchase_orders (id),
    sku             TEXT NOT NULL REFERENCES variants (sku),
    ordered         INTEGER NOT NULL CHECK (ordered > 0),
    received        INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= ordered),
    unit_cost_cents INTEGER NOT NULL CHECK (unit_cost_cents >= 0),
    PRIMARY KEY (po_id, sku)
);
CREATE INDEX purchase_order_lines_by_sku ON purchase_order_lines (sku);

CREATE TABLE purchase_receipts (
    id       TEXT PRIMARY KEY,
    po_id    TEXT NOT NULL REFERENCES purchase_orders (id),
    sku      TEXT NOT NULL REFERENCES variants (sku),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    at       INTEGER NOT NULL,
    actor    TEXT NOT NULL
);
CREATE INDEX purchase_receipts_by_po ON purchase_receipts (po_id, at);

-- Each delivery received once: the client's key for it, per order.
CREATE TABLE purchase_receipt_keys (
    po_id TEXT NOT NULL REFERENCES purchase_orders (id),
    key   TEXT NOT NULL,
    at    INTEGER NOT NULL,
    PRIMARY KEY (po_id, key)
);

-- The forecast reads every SKU's last 26 weeks of the ledger.
CREATE INDEX stock_movements_by_time ON stock_movements (at);

-- The low-stock rule drafts purchase orders (on by default), at most once
-- an hour (the forecast reads every SKU's history): the pass that moves
-- `low_stock_checked_at` does it.
ALTER TABLE automation_settings ADD COLUMN low_stock INTEGER NOT NULL DEFAULT 1 CHECK (low_stock IN (0, 1));

ALTER TABLE automation_settings ADD COLUMN low_stock_checked_at INTEGER NOT NULL DEFAULT 0;
