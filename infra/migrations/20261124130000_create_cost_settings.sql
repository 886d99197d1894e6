-- The cost inputs of the KPI report (one row, edited by admins). Money in
-- cents, the payment fee in basis points, the shipping SLA in hours.
CREATE TABLE cost_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    fixed_monthly_cents  INTEGER NOT NULL DEFAULT 0 CHECK (fixed_monthly_cents >= 0),
    per_order_cents      INTEGER NOT NULL DEFAULT 0 CHECK (per_order_cents >= 0),
    payment_fee_bps      INTEGER NOT NULL DEFAULT 0 CHECK (payment_fee_bps BETWEEN 0 AND 10000),
    per_shipment_cents   INTEGER NOT NULL DEFAULT 0 CHECK (per_shipment_cents >= 0),
    shipping_sla_hours   INTEGER NOT NULL DEFAULT 48 CHECK (shipping_sla_hours BETWEEN 1 AND 720),
    updated_at_ms        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO cost_settings (id) VALUES (1);
