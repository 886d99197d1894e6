-- One payment per order, held by the database rather than by checks
-- (issue 9): at most one open payment session per order; a session closed
-- with its order is also expired at the provider; every capture is recorded
-- once, exactly one per order is kept, and every other capture is refunded
-- in full through a refund that names it.

-- Closing a Stripe session at Stripe is owed when its order ends. Only the
-- payments and refunds components may reach Stripe, so whoever closes the
-- session marks it and a component that can reach Stripe does the call.
ALTER TABLE payment_sessions ADD COLUMN provider_expiry_due INTEGER NOT NULL DEFAULT 0;

-- A database may already hold two open sessions for one order (the race this
-- migration ends): keep the oldest, the one offered again so far, and close
-- the others, or the unique index below could not be built.
UPDATE payment_sessions
SET state = 'expired', provider_expiry_due = CASE WHEN provider = 'sandbox' THEN 0 ELSE 1 END
WHERE state = 'open' AND EXISTS (
    SELECT 1 FROM payment_sessions k
    WHERE k.order_id = payment_sessions.order_id AND k.state = 'open'
      AND (k.created_at < payment_sessions.created_at
           OR (k.created_at = payment_sessions.created_at AND k.id < payment_sessions.id))
);

-- Sessions of orders no longer awaiting payment end with them.
UPDATE payment_sessions
SET state = 'expired', provider_expiry_due = CASE WHEN provider = 'sandbox' THEN 0 ELSE 1 END
WHERE state = 'open' AND order_id IN (SELECT id FROM orders WHERE status <> 'pending_payment');

CREATE UNIQUE INDEX payment_sessions_one_open_per_order ON payment_sessions (order_id) WHERE state = 'open';

CREATE INDEX payment_sessions_expiry_due ON payment_sessions (provider_expiry_due) WHERE provider_expiry_due = 1;

-- Every payment the provider took, once each (`reference` is the payment
-- intent; a replayed or concurrent event for it adds nothing). `kept` marks
-- the one that paid the order; every other one is refunded in full.
CREATE TABLE payment_captures (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    session_id   TEXT NOT NULL,
    reference    TEXT NOT NULL UNIQUE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency     TEXT NOT NULL,
    kept         INTEGER NOT NULL DEFAULT 0 CHECK (kept IN (0, 1)),
    event_id     TEXT NOT NULL,
    at           INTEGER NOT NULL
);

CREATE UNIQUE INDEX payment_captures_one_kept_per_order ON payment_captures (order_id) WHERE kept = 1;

CREATE INDEX payment_captures_by_order ON payment_captures (order_id, at);

-- Whether a completed session's payment is known yet (see payments::db::SessionRow::payment_in_flight).
CREATE INDEX payment_captures_by_session ON payment_captures (session_id);

-- The capture a refund gives back when it is not the order's kept payment
-- (NULL: the kept payment, through `orders.payment_reference`).
ALTER TABLE refunds ADD COLUMN capture_reference TEXT;

CREATE INDEX refunds_by_capture ON refunds (capture_reference) WHERE capture_reference IS NOT NULL;

-- The payments already kept: every order that went through `paid`.
INSERT INTO payment_captures (id, order_id, session_id, reference, amount_cents, currency, kept, event_id, at)
SELECT 'kept-' || o.id, o.id,
       COALESCE((SELECT s.id FROM payment_sessions s WHERE s.order_id = o.id AND s.state = 'complete'
                 ORDER BY s.created_at LIMIT 1), ''),
       o.payment_reference, o.total_cents, o.currency, 1, '', o.paid_at
FROM orders o
WHERE o.paid_at IS NOT NULL AND o.payment_reference IS NOT NULL
  AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.status = 'paid')
ON CONFLICT DO NOTHING;

-- A payment that landed after its order was cancelled used to be written on
-- the order (`paid_at`, `payment_reference`), which made the KPIs count it
-- as a sale: it becomes a capture that is not kept, its refund names it,
-- and the order is unpaid again.
INSERT INTO payment_captures (id, order_id, session_id, reference, amount_cents, currency, kept, event_id, at)
SELECT 'late-' || o.id, o.id, '', o.payment_reference, o.total_cents, o.currency, 0, '', o.paid_at
FROM orders o
WHERE o.status = 'cancelled' AND o.paid_at IS NOT NULL AND o.payment_reference IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.status = 'paid')
ON CONFLICT DO NOTHING;

UPDATE refunds
SET capture_reference = (SELECT o.payment_reference FROM orders o WHERE o.id = refunds.order_id)
WHERE capture_reference IS NULL AND requested_by = 'system'
  AND reason = 'paid after the order was cancelled';

UPDATE orders SET paid_at = NULL, payment_reference = NULL
WHERE status = 'cancelled' AND paid_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = orders.id AND e.status = 'paid');
