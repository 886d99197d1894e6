-- The job runner (issue 10): one lease per periodic duty, so callers on any
-- instance at any rate never run the same duty at once. Taken with one
-- conditional upsert (a row comes back: the lease is yours), released by its
-- holder or left to lapse at `expires_at` (unix ms).
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- A committed refund is sent by whoever claims it first: a conditional
-- update sets this (unix ms) before the provider call, so two runners never
-- send one refund at once, leases or not.
ALTER TABLE refunds ADD COLUMN send_claimed_until INTEGER;
