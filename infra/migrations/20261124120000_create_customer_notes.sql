-- Staff notes about a customer (never shown to them).
CREATE TABLE customer_notes (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES accounts (id),
    at_ms        INTEGER NOT NULL,
    author_id    TEXT NOT NULL REFERENCES accounts (id),
    author_email TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX customer_notes_by_customer ON customer_notes (customer_id, at_ms);
