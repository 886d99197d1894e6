-- The shop's own numbers and names for the accounts its books use (set by
-- an admin); a role not listed keeps the French chart's default
-- (`comptoir_shared::ledger::account`). For the accounts kept per VAT rate
-- (sales, shipping, VAT collected) the number is a prefix the rate
-- completes. Entries already written keep the numbers they were written
-- with.
CREATE TABLE chart_of_accounts (
    role       TEXT PRIMARY KEY,
    number     TEXT NOT NULL,
    name       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
