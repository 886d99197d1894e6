-- Double-entry journals (issue 12), written in the transaction of each
-- business event: an invoice or a credit note (journal VE: 411 against
-- 707/7085 per VAT rate and 44571), money the provider took or gave back
-- (journal BQ: 511 against 411, or 471 for money that was no sale).
-- `comptoir_shared::ledger` says what each event writes; an entry whose
-- debits and credits differ is never written.
--
-- Entries are numbered per journal and fiscal year without gap, by the
-- series rows of `document_series` (series `J<journal code>`), like
-- invoices. Nothing is ever updated or deleted (a correction is a new
-- entry), and nothing is written into a closed fiscal year.
CREATE TABLE journal_entries (
    id           TEXT PRIMARY KEY,
    journal      TEXT NOT NULL,
    journal_name TEXT NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    number       INTEGER NOT NULL CHECK (number > 0),
    entry_date   INTEGER NOT NULL,
    piece        TEXT NOT NULL,
    piece_date   INTEGER NOT NULL,
    label        TEXT NOT NULL,
    -- What it records (`sale`, `payment`, `credit_note`, `refund`,
    -- `stray_capture`, `stray_refund`) and of what (an invoice number, a
    -- refund id, a payment reference): recorded once.
    event        TEXT NOT NULL,
    source       TEXT NOT NULL,
    validated_at INTEGER NOT NULL,
    UNIQUE (journal, fiscal_year, number),
    UNIQUE (event, source)
);

CREATE INDEX journal_entries_by_year ON journal_entries (fiscal_year, journal, number);

CREATE TABLE journal_lines (
    entry_id     TEXT NOT NULL REFERENCES journal_entries (id),
    position     INTEGER NOT NULL,
    role         TEXT NOT NULL,
    account      TEXT NOT NULL,
    account_name TEXT NOT NULL,
    -- The customer's own account under 411 (empty elsewhere).
    aux          TEXT NOT NULL,
    aux_name     TEXT NOT NULL,
    -- For the accounts kept per VAT rate (707, 7085, 44571).
    rate_bps     INTEGER,
    debit_cents  INTEGER NOT NULL CHECK (debit_cents >= 0),
    credit_cents INTEGER NOT NULL CHECK (credit_cents >= 0),
    CHECK (debit_cents = 0 OR credit_cents = 0),
    PRIMARY KEY (entry_id, position)
);

-- A fiscal year closed by finance: nothing more is written into it.
CREATE TABLE closed_years (
    year      INTEGER PRIMARY KEY,
    closed_at INTEGER NOT NULL,
    closed_by TEXT NOT NULL
);

-- sqlite only
CREATE TRIGGER journal_entries_never_change BEFORE UPDATE ON journal_entries BEGIN SELECT RAISE(ABORT, 'a journal entry never changes'); END;

-- sqlite only
CREATE TRIGGER journal_entries_are_kept BEFORE DELETE ON journal_entries BEGIN SELECT RAISE(ABORT, 'a journal entry is never deleted'); END;

-- sqlite only
CREATE TRIGGER journal_lines_never_change BEFORE UPDATE ON journal_lines BEGIN SELECT RAISE(ABORT, 'a journal line never changes'); END;

-- sqlite only
CREATE TRIGGER journal_lines_are_kept BEFORE DELETE ON journal_lines BEGIN SELECT RAISE(ABORT, 'a journal line is never deleted'); END;

-- sqlite only
CREATE TRIGGER journal_entries_not_in_closed_years BEFORE INSERT ON journal_entries WHEN EXISTS (SELECT 1 FROM closed_years WHERE year = NEW.fiscal_year) BEGIN SELECT RAISE(ABORT, 'this fiscal year is closed'); END;

-- postgres only
CREATE FUNCTION journals_never_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    RAISE EXCEPTION 'journal entries never change and are never deleted'; END $$;

-- postgres only
CREATE TRIGGER journal_entries_never_change BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journals_never_change();

-- postgres only
CREATE TRIGGER journal_lines_never_change BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION journals_never_change();

-- postgres only
CREATE FUNCTION journal_year_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    IF EXISTS (SELECT 1 FROM closed_years WHERE year = NEW.fiscal_year) THEN
        RAISE EXCEPTION 'fiscal year % is closed', NEW.fiscal_year; END IF; RETURN NEW; END $$;

-- postgres only
CREATE TRIGGER journal_entries_not_in_closed_years BEFORE INSERT ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_year_open();
