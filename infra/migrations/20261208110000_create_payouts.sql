-- What the payment provider paid out, and the balance transactions each
-- payout settles (issue 12): kept as the provider reported them, matched to
-- the shop's captures and refunds, and booked (fees 627 / 511, payout
-- 512 / 511). Whatever does not match is a billing error with its evidence,
-- which finance resolves with a note.
CREATE TABLE payouts (
    id           TEXT PRIMARY KEY,
    amount_cents INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    arrival_at   INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL
);

CREATE TABLE balance_transactions (
    id           TEXT PRIMARY KEY,
    payout_id    TEXT NOT NULL REFERENCES payouts (id),
    -- `payment`, `refund`, or `other` (an adjustment, a fee of its own).
    kind         TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'other')),
    -- The payment (its reference, as captures keep it) or the provider's
    -- refund id it is about.
    reference    TEXT NOT NULL,
    -- As the provider reports them: a refund's amount is negative.
    amount_cents INTEGER NOT NULL,
    fee_cents    INTEGER NOT NULL,
    net_cents    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX balance_transactions_by_payout ON balance_transactions (payout_id);

CREATE INDEX balance_transactions_by_reference ON balance_transactions (reference);

-- Finance resolves a billing error with a note (audited).
ALTER TABLE billing_errors ADD COLUMN resolved_at INTEGER;

ALTER TABLE billing_errors ADD COLUMN resolved_by TEXT;

ALTER TABLE billing_errors ADD COLUMN resolution TEXT;
