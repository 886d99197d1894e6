-- Where a payment session sends the shopper (sandbox page or Stripe Checkout),
-- so an open session can be offered again as is.
ALTER TABLE payment_sessions ADD COLUMN redirect_url TEXT NOT NULL DEFAULT '';
