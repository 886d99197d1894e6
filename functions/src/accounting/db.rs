//! Issuing and reading invoices and credit notes.

use anyhow::Context as _;
use comptoir_shared::Money;
use comptoir_shared::ids::OrderId;
use comptoir_shared::invoice::{
    Amounts, Buyer, Corrects, DocumentKind, InvoiceDocument, IssuedDocument, Payment, RefundedLine,
    SoldLine, credit_amounts, invoice_amounts,
};

use comptoir_shared::ledger::{Journal, document_entry, money_entry};

use super::ledger::Entry;
use crate::config::{Config, PaymentProvider};
use crate::orders;
use crate::params;
use crate::port::{Executor, Row, new_id};

/// Takes the next number of `kind`'s series (see
/// [`super::ledger::next_in_series`]): the number, its year and rank, and
/// the instant to date the document.
async fn take_number(
    tx: &mut dyn Executor,
    kind: DocumentKind,
    now: i64,
) -> anyhow::Result<(String, i64, i64, i64)> {
    let (year, seq, issued_at) = super::ledger::next_in_series(tx, kind.series(), now).await?;
    Ok((kind.number(year, seq), year, seq, issued_at))
}

/// What staff search a document by: company, name, e-mail.
fn buyer_label(buyer: &Buyer) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(company) = &buyer.company {
        parts.push(&company.name);
    }
    parts.push(&buyer.billing.name);
    parts.push(&buyer.email);
    parts.join(" · ")
}

/// Writes an issued document; it never changes after this.
async fn insert(
    tx: &mut dyn Executor,
    document: &InvoiceDocument,
    (year, seq): (i64, i64),
    refund: Option<&str>,
) -> anyhow::Result<()> {
    let json = serde_json::to_string(document).context("document as JSON")?;
    tx.query(
        "INSERT INTO invoices (number, kind, year, seq, order_id, refund_id, corrects, issued_at, total_cents, \
            vat_cents, business, buyer, access_key, document) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            &document.number,
            document.kind.as_str(),
            year,
            seq,
            document.order_id.as_str(),
            refund,
            document.corrects.as_ref().map(|c| c.number.as_str()),
            document.issued_at_ms,
            document.amounts.total.amount,
            document.amounts.total_vat.amount,
            document.is_business(),
            buyer_label(&document.buyer).to_lowercase(),
            new_id().as_str(),
            json
        ],
    )
    .await?;
    Ok(())
}

/// Books an issued document: the sale (or its credit note) in the sales
/// journal, and the money that settled it (the payment, or the refund,
/// recorded once per `money_source`: the order, or the refund) in the bank
/// journal.
async fn book(
    tx: &mut dyn Executor,
    document: &InvoiceDocument,
    money_source: &str,
    now: i64,
) -> anyhow::Result<()> {
    let invoice = document.kind == DocumentKind::Invoice;
    let (number, reference) = (&document.number, &document.payment.reference);
    let customer = super::ledger::customer_of(document);
    let (event, money_event, label, money_label) = if invoice {
        (
            "sale",
            "payment",
            "Facture",
            format!("Encaissement {reference} facture {number}"),
        )
    } else {
        (
            "credit_note",
            "refund",
            "Avoir",
            format!("Remboursement {reference} avoir {number}"),
        )
    };
    super::ledger::post(
        tx,
        &Entry {
            journal: Journal::Sales,
            event,
            source: number,
            piece: number,
            piece_date_ms: document.issued_at_ms,
            label: format!("{label} {number} {}", customer.1),
            customer: Some(customer.clone()),
            lines: document_entry(document),
        },
        now,
    )
    .await?;
    super::ledger::post(
        tx,
        &Entry {
            journal: Journal::Bank,
            event: money_event,
            source: money_source,
            piece: reference,
            piece_date_ms: document.payment.at_ms,
            label: money_label,
            customer: Some(customer),
            lines: money_entry(document.amounts.total.amount, true, !invoice),
        },
        now,
    )
    .await
}

/// How the provider in use is named on an invoice.
fn payment_method(config: &Config) -> &'static str {
    match config.payment_provider {
        PaymentProvider::Stripe => "Carte bancaire (Stripe)",
        PaymentProvider::Sandbox => "Paiement de démonstration (sandbox)",
    }
}

/// Issues the invoice of a paid order, in the paying transaction; a second
/// call answers the number already issued.
pub async fn issue_invoice(
    tx: &mut dyn Executor,
    config: &Config,
    order: &OrderId,
    now: i64,
) -> anyhow::Result<String> {
    if let Some(row) = tx
        .optional(
            "SELECT number FROM invoices WHERE order_id = ?1 AND kind = 'invoice'",
            params![order.as_str()],
        )
        .await?
    {
        return Ok(row.text(0)?.to_owned());
    }
    let summary = orders::summary(tx, order)
        .await?
        .context("invoicing an order that does not exist")?;
    let settlement = orders::settlement(tx, order)
        .await?
        .context("invoicing an order that is not paid")?;
    let sold: Vec<SoldLine> = summary
        .lines
        .iter()
        .map(|l| SoldLine {
            sku: l.sku.to_string(),
            description: l.description.clone(),
            unit_price: l.unit_price.amount,
            quantity: l.quantity.get(),
            tax_class: l.tax_class,
        })
        .collect();
    let delivery = summary.shipping_address.fields().clone();
    // Taxed as checkout priced it: whose VAT by the buyer and the
    // destination, reverse charged when the order was charged before VAT.
    let reverse_charge = summary.totals.reverse_charged.amount > 0;
    let vat = comptoir_shared::company::vat_treatment(
        &delivery.country,
        summary.company.as_ref(),
        config.seller.vat_franchise,
        reverse_charge,
    );
    let mut amounts = invoice_amounts(
        &sold,
        summary.totals.discount.amount,
        summary.totals.shipping.amount,
        vat.country,
    )
    .map_err(|e| anyhow::anyhow!("pricing the invoice of {order}: {e:?}"))?;
    if config.seller.vat_franchise {
        amounts = amounts.without_vat();
    } else if reverse_charge {
        amounts = amounts.reverse_charged();
    }
    let vat_country = vat.country.to_owned();
    let (number, year, seq, issued_at) = take_number(tx, DocumentKind::Invoice, now).await?;
    let billing = summary
        .billing_address
        .as_ref()
        .map(|a| a.fields().clone())
        .unwrap_or_else(|| delivery.clone());
    let document = InvoiceDocument {
        kind: DocumentKind::Invoice,
        number: number.clone(),
        issued_at_ms: issued_at,
        order_id: order.clone(),
        ordered_at_ms: summary.created_at_ms,
        shipping_method: settlement.shipping_method,
        corrects: None,
        reason: String::new(),
        seller: config.seller.clone(),
        buyer: Buyer {
            email: summary.email.to_string(),
            delivery: (billing != delivery).then_some(delivery),
            billing,
            company: summary.company.clone(),
        },
        amounts,
        payment: Payment {
            at_ms: settlement.paid_at_ms,
            method: payment_method(config).to_owned(),
            reference: settlement.reference,
        },
        vat_country,
        reverse_charge,
    };
    insert(tx, &document, (year, seq), None).await?;
    book(tx, &document, order.as_str(), now).await?;
    Ok(number)
}

/// A refund of a sale, as its credit note needs it.
pub struct CreditFacts<'a> {
    /// The refund.
    pub refund_id: &'a str,
    /// Its order.
    pub order: &'a OrderId,
    /// What went back, VAT included.
    pub amount: i64,
    /// The goods it names (may be empty).
    pub returned: Vec<RefundedLine>,
    /// Why.
    pub reason: String,
    /// When it succeeded (unix ms).
    pub settled_at_ms: i64,
    /// The provider's reference of the refund.
    pub reference: String,
}

/// Issues the credit note of a succeeded refund of a sale, correcting the
/// order's invoice: `None` while the order has no invoice (it is issued
/// when the invoice is); a second call answers the number already issued.
pub async fn issue_credit_note(
    tx: &mut dyn Executor,
    facts: &CreditFacts<'_>,
    now: i64,
) -> anyhow::Result<Option<String>> {
    if let Some(row) = tx
        .optional(
            "SELECT number FROM invoices WHERE refund_id = ?1",
            params![facts.refund_id],
        )
        .await?
    {
        return Ok(Some(row.text(0)?.to_owned()));
    }
    let Some(invoice) = invoice_of(tx, facts.order).await? else {
        return Ok(None);
    };
    let credited: Vec<Amounts> = tx
        .query(
            "SELECT document FROM invoices WHERE order_id = ?1 AND kind = 'credit_note' ORDER BY seq",
            params![facts.order.as_str()],
        )
        .await?
        .iter()
        .map(|r| Ok(document(r, 0)?.amounts))
        .collect::<anyhow::Result<_>>()?;
    // Goods that do not add up (approved for less than asked, more than
    // their rate has left) are refunded as an amount, shared among the
    // invoice's rates by what each has left.
    let amounts = credit_amounts(&invoice.amounts, &credited, &facts.returned, facts.amount)
        .or_else(|_| credit_amounts(&invoice.amounts, &credited, &[], facts.amount))
        .map_err(|e| anyhow::anyhow!("crediting refund {}: {e:?}", facts.refund_id))?;
    let amounts = if invoice.seller.vat_franchise {
        amounts.without_vat()
    } else {
        amounts
    };
    let (number, year, seq, issued_at) = take_number(tx, DocumentKind::CreditNote, now).await?;
    let document = InvoiceDocument {
        kind: DocumentKind::CreditNote,
        number: number.clone(),
        issued_at_ms: issued_at,
        order_id: facts.order.clone(),
        ordered_at_ms: invoice.ordered_at_ms,
        shipping_method: invoice.shipping_method.clone(),
        corrects: Some(Corrects {
            number: invoice.number.clone(),
            issued_at_ms: invoice.issued_at_ms,
        }),
        reason: facts.reason.clone(),
        seller: invoice.seller.clone(),
        buyer: invoice.buyer.clone(),
        amounts,
        payment: Payment {
            at_ms: facts.settled_at_ms,
            method: invoice.payment.method.clone(),
            reference: facts.reference.clone(),
        },
        vat_country: invoice.vat_country.clone(),
        reverse_charge: invoice.reverse_charge,
    };
    insert(tx, &document, (year, seq), Some(facts.refund_id)).await?;
    book(tx, &document, facts.refund_id, now).await?;
    Ok(Some(number))
}

/// Money that is no sale, between the provider's clearing account and the
/// suspense account: `amount` received (> 0) or given back (< 0) — a
/// payment kept for no order, its refund, a difference a payout shows.
pub struct Suspense<'a> {
    /// What it records (written once per event and source).
    pub event: &'a str,
    /// Of what.
    pub source: &'a str,
    /// The provider's reference it rests on.
    pub piece: &'a str,
    /// What happened.
    pub label: String,
    /// Signed: in, or out.
    pub amount: i64,
}

/// Books `s` in the bank journal (nothing when its amount is zero); no
/// invoice or credit note goes with it.
pub async fn book_suspense(tx: &mut dyn Executor, s: Suspense<'_>, now: i64) -> anyhow::Result<()> {
    if s.amount == 0 {
        return Ok(());
    }
    super::ledger::post(
        tx,
        &Entry {
            journal: Journal::Bank,
            event: s.event,
            source: s.source,
            piece: s.piece,
            piece_date_ms: now,
            label: s.label,
            customer: None,
            lines: money_entry(s.amount.abs(), false, s.amount < 0),
        },
        now,
    )
    .await
}

fn document(row: &Row, column: usize) -> anyhow::Result<InvoiceDocument> {
    serde_json::from_str(row.text(column)?).context("stored document")
}

/// The invoice of an order, if issued.
pub async fn invoice_of(
    db: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Option<InvoiceDocument>> {
    db.optional(
        "SELECT document FROM invoices WHERE order_id = ?1 AND kind = 'invoice'",
        params![order.as_str()],
    )
    .await?
    .map(|r| document(&r, 0))
    .transpose()
}

/// A document by number, with its order and access key.
pub struct Stored {
    /// What it says.
    pub document: InvoiceDocument,
    /// The key its link carries.
    pub access_key: String,
}

/// Reads a document by its number.
pub async fn by_number(db: &mut dyn Executor, number: &str) -> anyhow::Result<Option<Stored>> {
    db.optional(
        "SELECT document, access_key FROM invoices WHERE number = ?1",
        params![number],
    )
    .await?
    .map(|r| {
        Ok(Stored {
            document: document(&r, 0)?,
            access_key: r.text(1)?.to_owned(),
        })
    })
    .transpose()
}

/// The columns [`issued`] reads, in its order.
pub const LISTED: &str = "number, kind, issued_at, order_id, buyer, total_cents, vat_cents, business, \
    corrects, access_key";

/// A listed row (selected as [`LISTED`]) as its buyer or staff see it.
pub fn issued(r: &Row) -> anyhow::Result<IssuedDocument> {
    let number = r.text(0)?.to_owned();
    let url = format!("/api/finance/documents/{number}?key={}", r.text(9)?);
    Ok(IssuedDocument {
        kind: DocumentKind::parse(r.text(1)?).context("stored kind")?,
        issued_at_ms: r.int(2)?,
        order_id: r.parse(3, OrderId::parse)?,
        buyer: r.text(4)?.to_owned(),
        total: Money::eur(r.int(5)?),
        vat: Money::eur(r.int(6)?),
        business: r.int(7)? == 1,
        corrects: r.opt_text(8)?.map(str::to_owned),
        number,
        url,
    })
}

/// The documents of an order, oldest first.
pub async fn of_order(
    db: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Vec<IssuedDocument>> {
    db.query(
        &format!("SELECT {LISTED} FROM invoices WHERE order_id = ?1 ORDER BY issued_at, number"),
        params![order.as_str()],
    )
    .await?
    .iter()
    .map(issued)
    .collect()
}
