-- Invoices and credit notes (issue 12). Each is issued once, in the
-- transaction that makes it due (the payment for an invoice, the refund's
-- success for a credit note), and never changes: what it says is frozen in
-- `document` (the JSON of `comptoir_shared::invoice::InvoiceDocument`), and
-- the triggers below refuse any UPDATE or DELETE on either store.
--
-- Numbers: one continuous series per kind and year (`F2026-000001`,
-- `AV2026-000001`). The series row is the counter: issuing takes the next
-- rank with one upsert on it, which holds the row until the transaction
-- ends, so concurrent issues wait for each other in turn, a rolled-back
-- issue gives its rank back, and no rank is skipped or given twice. The
-- row also keeps the last issue instant, and an issue is dated no earlier
-- than it, so number order is issue order even when a transaction that
-- started later took its rank first.
CREATE TABLE document_series (
    series         TEXT NOT NULL,
    year           INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL CHECK (last_seq > 0),
    last_issued_at INTEGER NOT NULL,
    PRIMARY KEY (series, year)
);

CREATE TABLE invoices (
    number      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    order_id    TEXT NOT NULL REFERENCES orders (id),
    -- The refund a credit note was issued for (none for an invoice).
    refund_id   TEXT UNIQUE REFERENCES refunds (id),
    -- The invoice a credit note corrects (a number of this table).
    corrects    TEXT,
    issued_at   INTEGER NOT NULL,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    vat_cents   INTEGER NOT NULL CHECK (vat_cents >= 0),
    business    INTEGER NOT NULL CHECK (business IN (0, 1)),
    -- Who it names (company, name, e-mail), for staff's search.
    buyer       TEXT NOT NULL,
    -- 128 random bits: the key a document's link carries, so a guest (or
    -- their accountant) reads the PDF without signing in.
    access_key  TEXT NOT NULL,
    document    TEXT NOT NULL,
    UNIQUE (kind, year, seq),
    CHECK ((kind = 'invoice') = (refund_id IS NULL)),
    CHECK ((kind = 'invoice') = (corrects IS NULL))
);

CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';

CREATE INDEX invoices_by_order ON invoices (order_id, issued_at);

CREATE INDEX invoices_by_issue ON invoices (issued_at);

-- sqlite only
CREATE TRIGGER invoices_never_change BEFORE UPDATE ON invoices BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes'); END;

-- sqlite only
CREATE TRIGGER invoices_are_kept BEFORE DELETE ON invoices BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;

-- postgres only
CREATE FUNCTION invoices_never_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    RAISE EXCEPTION 'an issued invoice never changes and is never deleted'; END $$;

-- postgres only
CREATE TRIGGER invoices_never_change BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_never_change();

-- A business buyer, given at checkout (all NULL: a consumer).
ALTER TABLE orders ADD COLUMN company_name TEXT;

ALTER TABLE orders ADD COLUMN company_siren TEXT;

ALTER TABLE orders ADD COLUMN company_vat_number TEXT;
