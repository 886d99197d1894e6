//! Writing and reading the journals (see `comptoir_shared::ledger`).

use anyhow::{Context as _, bail};
use comptoir_shared::Money;
use comptoir_shared::calendar::paris_date;
use comptoir_shared::invoice::InvoiceDocument;
use comptoir_shared::ledger::{Journal, LedgerLine, Posting, Role, account, account_as, balanced};
use sha2::{Digest as _, Sha256};

use crate::params;
use crate::port::{Executor, new_id};

/// An entry to write.
pub struct Entry<'a> {
    /// Its journal.
    pub journal: Journal,
    /// What it records, and of what: written once per pair.
    pub event: &'a str,
    /// The record's key (an invoice number, a refund id…).
    pub source: &'a str,
    /// The document it rests on.
    pub piece: &'a str,
    /// That document's date (unix ms).
    pub piece_date_ms: i64,
    /// What happened.
    pub label: String,
    /// The customer's account under 411: code and name.
    pub customer: Option<(String, String)>,
    /// The lines.
    pub lines: Vec<Posting>,
}

/// The customer account (under 411) of a document's buyer: a code of its
/// own from the e-mail (the same customer, the same account), named after
/// the company or the person.
pub fn customer_of(doc: &InvoiceDocument) -> (String, String) {
    let digest = Sha256::digest(doc.buyer.email.trim().to_lowercase().as_bytes());
    let code = format!("C{}", hex::encode(&digest[..5]).to_uppercase());
    let name = doc
        .buyer
        .company
        .as_ref()
        .map_or_else(|| doc.buyer.billing.name.clone(), |c| c.name.clone());
    (code, name)
}

/// Takes the next number of `series` for the year of `now` (Paris time)
/// and the instant to record: `now`, or the series' last one if a
/// transaction that started later went first. The upsert holds the series
/// row until this transaction ends, so numbers are given one at a time, in
/// order, and a rollback gives the number back.
pub(super) async fn next_in_series(
    tx: &mut dyn Executor,
    series: &str,
    now: i64,
) -> anyhow::Result<(i64, i64, i64)> {
    let (year, _, _) = paris_date(now);
    let row = tx
        .one(
            "INSERT INTO document_series (series, year, last_seq, last_issued_at) VALUES (?1, ?2, 1, ?3) \
             ON CONFLICT (series, year) DO UPDATE SET last_seq = document_series.last_seq + 1, \
                last_issued_at = CASE WHEN document_series.last_issued_at > ?3 \
                                      THEN document_series.last_issued_at ELSE ?3 END \
             RETURNING last_seq, last_issued_at",
            params![series, year, now],
        )
        .await?;
    Ok((year, row.int(0)?, row.int(1)?))
}

/// Writes `entry` in the caller's transaction, numbered in its journal;
/// an event already recorded is not written again. Refuses (and so rolls
/// the whole event back) an entry that does not balance.
pub async fn post(tx: &mut dyn Executor, entry: &Entry<'_>, now: i64) -> anyhow::Result<()> {
    if !balanced(&entry.lines) {
        bail!(
            "entry {} {} does not balance: {:?}",
            entry.event,
            entry.source,
            entry.lines
        );
    }
    if tx
        .optional(
            "SELECT 1 FROM journal_entries WHERE event = ?1 AND source = ?2",
            params![entry.event, entry.source],
        )
        .await?
        .is_some()
    {
        return Ok(());
    }
    let (code, name) = entry.journal.code_and_name();
    let (year, number, at) = next_in_series(tx, &format!("J{code}"), now).await?;
    let id = new_id();
    tx.query(
        "INSERT INTO journal_entries (id, journal, journal_name, fiscal_year, number, entry_date, piece, \
            piece_date, label, event, source, validated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?6)",
        params![
            id.as_str(),
            code,
            name,
            year,
            number,
            at,
            entry.piece,
            entry.piece_date_ms,
            &entry.label,
            entry.event,
            entry.source
        ],
    )
    .await?;
    let chart = custom_chart(tx).await?;
    for (position, line) in (1i64..).zip(&entry.lines) {
        let (number, name) = match chart.iter().find(|(role, _, _)| *role == line.role) {
            Some((_, number, name)) => account_as(
                line.role,
                line.rate_bps,
                line.country.as_deref(),
                number,
                name,
            ),
            None => account(line.role, line.rate_bps, line.country.as_deref()),
        };
        let (aux, aux_name) = match (&entry.customer, line.role) {
            (Some((code, name)), Role::Customers) => (code.as_str(), name.as_str()),
            _ => ("", ""),
        };
        let role = line.role.as_str();
        tx.query(
            "INSERT INTO journal_lines (entry_id, position, role, account, account_name, aux, aux_name, \
                rate_bps, vat_country, debit_cents, credit_cents) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                id.as_str(),
                position,
                role,
                number,
                name,
                aux,
                aux_name,
                line.rate_bps,
                line.country.as_deref(),
                line.debit,
                line.credit
            ],
        )
        .await?;
    }
    Ok(())
}

/// The accounts the shop numbered and named itself.
pub async fn custom_chart(db: &mut dyn Executor) -> anyhow::Result<Vec<(Role, String, String)>> {
    db.query("SELECT role, number, name FROM chart_of_accounts", &[])
        .await?
        .iter()
        .map(|r| {
            Ok((
                Role::parse(r.text(0)?).context("stored account role")?,
                r.text(1)?.to_owned(),
                r.text(2)?.to_owned(),
            ))
        })
        .collect()
}

/// Every line of a fiscal year's entries, in the order they were validated
/// (the FEC's chronological order), then by journal, number and line.
pub async fn lines_of_year(db: &mut dyn Executor, year: i64) -> anyhow::Result<Vec<LedgerLine>> {
    db.query(
        "SELECT e.journal, e.journal_name, e.number, e.entry_date, l.account, l.account_name, l.aux, \
                l.aux_name, e.piece, e.piece_date, e.label, l.debit_cents, l.credit_cents, e.validated_at \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE e.fiscal_year = ?1 ORDER BY e.validated_at, e.journal, e.number, l.position",
        params![year],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(LedgerLine {
            journal: r.text(0)?.to_owned(),
            journal_name: r.text(1)?.to_owned(),
            number: r.int(2)?,
            date_ms: r.int(3)?,
            account: r.text(4)?.to_owned(),
            account_name: r.text(5)?.to_owned(),
            aux: r.text(6)?.to_owned(),
            aux_name: r.text(7)?.to_owned(),
            piece: r.text(8)?.to_owned(),
            piece_date_ms: r.int(9)?,
            label: r.text(10)?.to_owned(),
            debit: Money::eur(r.int(11)?),
            credit: Money::eur(r.int(12)?),
            validated_ms: r.int(13)?,
        })
    })
    .collect()
}

/// A line of the sales, shipping or VAT accounts (kept per rate).
pub struct TaxedLine {
    /// Its entry's date (unix ms).
    pub at_ms: i64,
    /// Its account's role.
    pub role: String,
    /// The VAT rate.
    pub rate_bps: i64,
    /// The country whose VAT it is.
    pub country: String,
    /// Debit, cents.
    pub debit: i64,
    /// Credit, cents.
    pub credit: i64,
}

/// The lines that make the VAT report: those of the accounts kept per rate
/// in a fiscal year, by date.
pub async fn taxed_lines(db: &mut dyn Executor, year: i64) -> anyhow::Result<Vec<TaxedLine>> {
    db.query(
        "SELECT e.entry_date, l.role, l.rate_bps, COALESCE(l.vat_country, 'FR'), l.debit_cents, \
                l.credit_cents \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE e.fiscal_year = ?1 AND l.rate_bps IS NOT NULL ORDER BY e.entry_date",
        params![year],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(TaxedLine {
            at_ms: r.int(0)?,
            role: r.text(1)?.to_owned(),
            rate_bps: r.int(2)?,
            country: r.text(3)?.to_owned(),
            debit: r.int(4)?,
            credit: r.int(5)?,
        })
    })
    .collect()
}
