//! Accounting: the invoices (factures) and credit notes (avoirs) of sales.
//!
//! An invoice is issued in the transaction that records an order's payment
//! ([`issue_invoice`], called by payments), a credit note in the one that
//! records a refund's success ([`issue_credit_note`], called by refunds);
//! both are numbered in their own continuous series per year and never
//! change (the store refuses it). What a document says is frozen when it is
//! issued; its PDF is drawn from that alone ([`pdf`]), so every download of
//! it is the same file.
//!
//! - `GET /api/orders/{id}/documents` — an order's documents, for whoever
//!   holds the order ([`documents`]; served by the orders function)
//! - `GET /api/finance/documents?q=&kind=&from=&to=&page=` — every document,
//!   for finance staff ([`list`])
//! - `GET /api/finance/documents/{number}?key=` — one as a PDF ([`download`])
//! - `GET /api/finance/journal?year=` — the year's entries ([`journal`])
//! - `GET /api/finance/fec?year=` — the same as the FEC file ([`fec`])
//! - `GET /api/finance/vat-report?year=` (`.csv`) — VAT per month and rate ([`vat_report`])
//! - `POST /api/finance/years/{year}/close` — lock a year's books ([`close_year`])
//!
//! The journals ([`ledger`]) are written in the transaction of each event:
//! an invoice with its payment, a credit note with its refund, money that
//! was no sale and its return.

pub mod chart;
pub mod close_year;
mod db;
pub mod documents;
pub mod download;
pub mod facturx;
pub mod fec;
pub mod journal;
pub mod ledger;
pub mod list;
pub mod pdf;
pub mod vat_report;

pub use db::{CreditFacts, Suspense, book_suspense, invoice_of, issue_credit_note, issue_invoice};
