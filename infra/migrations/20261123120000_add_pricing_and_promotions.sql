-- Pricing beyond the skeleton: tax classes, shipping methods, promotion codes
-- and their uses, frozen on each order.

ALTER TABLE products ADD COLUMN tax_class TEXT NOT NULL DEFAULT 'standard';

ALTER TABLE order_lines ADD COLUMN tax_class TEXT NOT NULL DEFAULT 'standard';

ALTER TABLE orders ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0;

ALTER TABLE orders ADD COLUMN shipping_method TEXT NOT NULL DEFAULT 'colissimo';

CREATE TABLE promotions (
    code               TEXT PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('percentage', 'fixed_amount', 'free_shipping')),
    value              INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
    min_subtotal_cents INTEGER NOT NULL DEFAULT 0 CHECK (min_subtotal_cents >= 0),
    starts_at          INTEGER NOT NULL,
    ends_at            INTEGER,
    usage_limit        INTEGER CHECK (usage_limit IS NULL OR usage_limit >= 0),
    per_customer_limit INTEGER CHECK (per_customer_limit IS NULL OR per_customer_limit >= 0),
    stackable          INTEGER NOT NULL DEFAULT 0,
    active             INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL
);

CREATE TABLE cart_promotions (
    cart_id  TEXT NOT NULL REFERENCES carts (id),
    code     TEXT NOT NULL REFERENCES promotions (code),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (cart_id, code)
);

-- A use counts while its order is not cancelled.
CREATE TABLE order_promotions (
    order_id TEXT NOT NULL REFERENCES orders (id),
    code     TEXT NOT NULL REFERENCES promotions (code),
    email    TEXT NOT NULL,
    PRIMARY KEY (order_id, code)
);
CREATE INDEX order_promotions_by_code ON order_promotions (code, email);
