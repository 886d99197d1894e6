-- The walking skeleton's schema: catalog, stock and its ledger, carts,
-- orders and their timeline, idempotency keys, payments.
-- Portable SQL (SQLite now, Postgres later): TEXT ids chosen by the
-- application, INTEGER money in minor units, INTEGER unix-millisecond times.
-- One statement per `;` at the end of a line (the runner splits there).

CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    category    TEXT NOT NULL,
    image       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    published   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE variants (
    sku         TEXT PRIMARY KEY,
    product_id  TEXT NOT NULL REFERENCES products (id),
    size        TEXT,
    colour      TEXT,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    currency    TEXT NOT NULL DEFAULT 'EUR',
    position    INTEGER NOT NULL
);
CREATE INDEX variants_by_product ON variants (product_id, position);

CREATE TABLE stock (
    sku           TEXT PRIMARY KEY REFERENCES variants (sku),
    on_hand       INTEGER NOT NULL CHECK (on_hand >= 0),
    reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    low_threshold INTEGER NOT NULL DEFAULT 3 CHECK (low_threshold >= 0)
);

-- Every stock change, signed from the point of view of its column:
-- receipt/adjustment/sale/return move on_hand, reservation/release move reserved.
CREATE TABLE stock_movements (
    id       TEXT PRIMARY KEY,
    sku      TEXT NOT NULL REFERENCES variants (sku),
    kind     TEXT NOT NULL CHECK (kind IN ('receipt', 'adjustment', 'reservation', 'release', 'sale', 'return')),
    quantity INTEGER NOT NULL,
    order_id TEXT,
    note     TEXT NOT NULL DEFAULT '',
    at       INTEGER NOT NULL
);
CREATE INDEX stock_movements_by_sku ON stock_movements (sku, at);

CREATE TABLE carts (
    id         TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE cart_lines (
    cart_id  TEXT NOT NULL REFERENCES carts (id),
    sku      TEXT NOT NULL REFERENCES variants (sku),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (cart_id, sku)
);

CREATE TABLE orders (
    id                     TEXT PRIMARY KEY,
    status                 TEXT NOT NULL,
    email                  TEXT NOT NULL,
    ship_name              TEXT NOT NULL,
    ship_line1             TEXT NOT NULL,
    ship_line2             TEXT NOT NULL,
    ship_postal_code       TEXT NOT NULL,
    ship_city              TEXT NOT NULL,
    ship_country           TEXT NOT NULL,
    subtotal_cents         INTEGER NOT NULL CHECK (subtotal_cents >= 0),
    shipping_cents         INTEGER NOT NULL CHECK (shipping_cents >= 0),
    total_cents            INTEGER NOT NULL CHECK (total_cents >= 0),
    vat_cents              INTEGER NOT NULL CHECK (vat_cents >= 0),
    currency               TEXT NOT NULL,
    cart_id                TEXT NOT NULL,
    created_at             INTEGER NOT NULL,
    reservation_expires_at INTEGER NOT NULL
);
CREATE INDEX orders_pending_by_expiry ON orders (status, reservation_expires_at);

CREATE TABLE order_lines (
    order_id         TEXT NOT NULL REFERENCES orders (id),
    position         INTEGER NOT NULL,
    sku              TEXT NOT NULL REFERENCES variants (sku),
    description      TEXT NOT NULL,
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, position)
);

CREATE TABLE order_events (
    id       TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    seq      INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    status   TEXT NOT NULL,
    actor    TEXT NOT NULL,
    note     TEXT NOT NULL,
    UNIQUE (order_id, seq)
);

-- A checkout retried with the same key answers with the order it first made.
CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    created_at   INTEGER NOT NULL
);

CREATE TABLE payment_sessions (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    provider     TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'complete', 'expired')),
    created_at   INTEGER NOT NULL
);
CREATE INDEX payment_sessions_by_order ON payment_sessions (order_id);

-- Provider events, applied at most once each.
CREATE TABLE payment_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    order_id    TEXT,
    outcome     TEXT NOT NULL,
    received_at INTEGER NOT NULL
);

-- A payment that did not match its order: never marked paid, always kept.
CREATE TABLE billing_errors (
    id          TEXT PRIMARY KEY,
    order_id    TEXT,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    at          INTEGER NOT NULL
);
