//! Invoices (factures) and credit notes (avoirs): what each says, frozen when
//! it is issued, and the amounts it prints, computed from an order's charged
//! amounts by the pricing rules that charged them ([`vat_breakdown`]).
//!
//! Prices are VAT-inclusive, so amounts before VAT are derived: per rate,
//! the base is what the rate's VAT was computed on; the discount's share
//! before VAT is taken from its VAT-inclusive share; and the lines and the
//! shipping share the rest in proportion ([`pro_rata`]), so that for every
//! rate Σ lines − discount + shipping = base to the cent (EN 16931's
//! BR-S-08), whatever the rounding.

use serde::{Deserialize, Serialize};

use crate::checkout::RawAddress;
use crate::company::{Company, Siren, VatNumber};
use crate::ids::OrderId;
use crate::money::Money;
use crate::pricing::{
    QuoteError, QuoteLine, TaxClass, VatLine, pro_rata, vat_breakdown, vat_included,
};

/// An invoice or a credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A sale's invoice (UNTDID 1001 code 380).
    Invoice,
    /// A refund's credit note (code 381), referencing the invoice.
    CreditNote,
}

impl DocumentKind {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit_note",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Invoice, Self::CreditNote]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }

    /// The prefix of its series: each kind is numbered on its own.
    pub fn series(self) -> &'static str {
        match self {
            Self::Invoice => "F",
            Self::CreditNote => "AV",
        }
    }

    /// The document's number: series, year, and its rank in the year's
    /// series (`F2026-000042`), so numbers sort in issue order.
    pub fn number(self, year: i64, rank: i64) -> String {
        format!("{}{year}-{rank:06}", self.series())
    }

    /// UNTDID 1001 document type code.
    pub fn type_code(self) -> u16 {
        match self {
            Self::Invoice => 380,
            Self::CreditNote => 381,
        }
    }

    /// Its French title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Invoice => "Facture",
            Self::CreditNote => "Avoir",
        }
    }
}

/// Who sells: the mentions French law requires of the seller (from the
/// shop's configuration, frozen on each document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    /// Company name.
    pub name: String,
    /// Legal form (`SAS`, `SARL`…).
    pub legal_form: String,
    /// Share capital, as printed (`10 000 €`).
    pub share_capital: String,
    /// Street and number.
    pub street: String,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// SIREN.
    pub siren: Siren,
    /// The city of its trade register (RCS).
    pub rcs_city: String,
    /// Intra-EU VAT number (none under the VAT franchise).
    pub vat_number: Option<VatNumber>,
    /// Under the VAT franchise (art. 293 B of the CGI): no VAT charged.
    pub vat_franchise: bool,
}

/// Who buys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    /// Their e-mail.
    pub email: String,
    /// The billing address (name included).
    pub billing: RawAddress,
    /// The delivery address, when it is not the billing address.
    pub delivery: Option<RawAddress>,
    /// A business buyer's company.
    pub company: Option<Company>,
}

/// One line of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    /// The seller's reference (SKU), empty for an adjustment.
    pub sku: String,
    /// What it is.
    pub description: String,
    /// How many.
    pub quantity: u32,
    /// Its VAT rate, basis points.
    pub rate_bps: i64,
    /// Line total, VAT included, before any document discount.
    pub gross: Money,
    /// Line total before VAT (before the document discount).
    pub net: Money,
}

impl DocumentLine {
    /// Unit price before VAT, in ten-thousandths of the currency unit
    /// (`net / quantity`, rounded): four decimals, as EN 16931 allows.
    pub fn unit_net_e4(&self) -> i64 {
        crate::pricing::round_div(
            i128::from(self.net.amount) * 100,
            i128::from(self.quantity.max(1)),
        )
    }
}

/// A document-level discount or charge at one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateAmount {
    /// The VAT rate, basis points.
    pub rate_bps: i64,
    /// VAT included.
    pub gross: Money,
    /// Before VAT.
    pub net: Money,
}

/// How the document was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// When (unix ms): the payment for an invoice, the refund for a credit note.
    pub at_ms: i64,
    /// How (`Carte bancaire`).
    pub method: String,
    /// The provider's reference.
    pub reference: String,
}

/// The invoice a credit note corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrects {
    /// Its number.
    pub number: String,
    /// When it was issued (unix ms).
    pub issued_at_ms: i64,
}

/// The amounts a document prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// The lines.
    pub lines: Vec<DocumentLine>,
    /// Discounts, per rate (promotions).
    pub discounts: Vec<RateAmount>,
    /// Shipping, per rate (taxed like the goods it carries).
    pub shipping: Vec<RateAmount>,
    /// Base and VAT per rate, highest rate first.
    pub vat: Vec<VatLine>,
    /// Σ bases.
    pub total_net: Money,
    /// Σ VAT.
    pub total_vat: Money,
    /// What was charged (or refunded): Σ bases + Σ VAT.
    pub total: Money,
}

impl Amounts {
    /// The same amounts for a seller under the VAT franchise (art. 293 B of
    /// the CGI): everything charged is before VAT, at a 0 % rate.
    pub fn without_vat(self) -> Self {
        self.zero_rated(|r| r.gross, |l| l.gross)
    }

    /// The same amounts for an intra-EU delivery to a business (art. 262
    /// ter, I of the CGI): the buyer pays the price before VAT and accounts
    /// for the VAT itself; every amount is its net, at a 0 % rate.
    pub fn reverse_charged(self) -> Self {
        self.zero_rated(|r| r.net, |l| l.net)
    }

    /// Every amount at a 0 % rate, charging what `charged` picks of each
    /// (VAT included or not).
    fn zero_rated(
        self,
        charged: impl Fn(&RateAmount) -> Money,
        line_charged: impl Fn(&DocumentLine) -> Money,
    ) -> Self {
        let sum = |list: &[RateAmount]| list.iter().map(|r| charged(r).amount).sum::<i64>();
        let at_zero = |amount: i64| {
            (amount > 0).then_some(RateAmount {
                rate_bps: 0,
                gross: Money::eur(amount),
                net: Money::eur(amount),
            })
        };
        let (discount, shipping) = (sum(&self.discounts), sum(&self.shipping));
        let goods = self
            .lines
            .iter()
            .map(|l| line_charged(l).amount)
            .sum::<i64>();
        let total = Money::eur(goods - discount + shipping);
        Self {
            lines: self
                .lines
                .into_iter()
                .map(|l| {
                    let amount = line_charged(&l);
                    DocumentLine {
                        rate_bps: 0,
                        gross: amount,
                        net: amount,
                        ..l
                    }
                })
                .collect(),
            discounts: at_zero(discount).into_iter().collect(),
            shipping: at_zero(shipping).into_iter().collect(),
            vat: vec![VatLine {
                rate_bps: 0,
                goods: Money::eur(goods),
                discount: Money::eur(discount),
                shipping: Money::eur(shipping),
                base: total,
                vat: Money::eur(0),
            }],
            total_net: total,
            total_vat: Money::eur(0),
            total,
        }
    }
}

/// An issued invoice or credit note, as frozen when it was issued: what is
/// printed and exported is read from this, never from the live order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDocument {
    /// Invoice or credit note.
    pub kind: DocumentKind,
    /// `F2026-000042`, `AV2026-000003`.
    pub number: String,
    /// When it was issued (unix ms).
    pub issued_at_ms: i64,
    /// The order it bills.
    pub order_id: OrderId,
    /// When the order was placed (unix ms): the date of sale.
    pub ordered_at_ms: i64,
    /// How the goods travel (`colissimo`…).
    pub shipping_method: String,
    /// For a credit note: the invoice it corrects.
    pub corrects: Option<Corrects>,
    /// For a credit note: why.
    pub reason: String,
    /// The seller.
    pub seller: Seller,
    /// The buyer.
    pub buyer: Buyer,
    /// What it says in figures.
    pub amounts: Amounts,
    /// How it was settled.
    pub payment: Payment,
    /// The country whose VAT the sale bears (`FR` for documents issued
    /// before it was kept).
    #[serde(default = "france")]
    pub vat_country: String,
    /// An exempt intra-EU delivery to a business: no VAT, the buyer
    /// accounts for it (art. 262 ter, I of the CGI).
    #[serde(default)]
    pub reverse_charge: bool,
}

fn france() -> String {
    "FR".into()
}

impl InvoiceDocument {
    /// Whether the buyer is a business (its invoice carries business terms
    /// and is a Factur-X).
    pub fn is_business(&self) -> bool {
        self.buyer.company.is_some()
    }
}

/// An issued document, as lists show it: the order's documents to its
/// buyer, every document to finance staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedDocument {
    /// `F2026-000042`.
    pub number: String,
    /// Invoice or credit note.
    pub kind: DocumentKind,
    /// Unix ms.
    pub issued_at_ms: i64,
    /// The order it bills.
    pub order_id: OrderId,
    /// Who it names (company or name, and e-mail).
    pub buyer: String,
    /// Total, VAT included.
    pub total: Money,
    /// VAT.
    pub vat: Money,
    /// A business buyer's (a Factur-X).
    pub business: bool,
    /// A credit note's invoice.
    pub corrects: Option<String>,
    /// Where its PDF is read: a link carrying the document's own access key,
    /// good without signing in (the confirmation, an e-mail, the accountant).
    pub url: String,
}

/// A line as sold: its VAT-inclusive unit price and class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldLine {
    /// SKU.
    pub sku: String,
    /// Description as ordered.
    pub description: String,
    /// Unit price, VAT included.
    pub unit_price: i64,
    /// How many.
    pub quantity: u32,
    /// VAT class.
    pub tax_class: TaxClass,
}

fn sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64, QuoteError> {
    amounts
        .into_iter()
        .try_fold(0i64, |acc, a| acc.checked_add(a))
        .ok_or(QuoteError::Overflow)
}

/// Finishes a document's amounts from its lines' VAT-inclusive amounts and
/// each rate's figures: per rate, the lines (and shipping) share what the
/// rate's base leaves once the discount's share before VAT is put back.
fn settle(mut lines: Vec<DocumentLine>, vat: Vec<VatLine>) -> Result<Amounts, QuoteError> {
    let mut discounts = Vec::new();
    let mut shipping = Vec::new();
    for v in &vat {
        let discount_net = v.discount.amount - vat_included(v.discount.amount, v.rate_bps);
        // Shipping before VAT first, never above the rate's base (goods
        // given away entirely leave shipping all of it), so the goods less
        // their discount are never negative; the lines share the rest.
        let shipping_net = (v.shipping.amount - vat_included(v.shipping.amount, v.rate_bps))
            .clamp(0, v.base.amount.max(0));
        let lines_net = v
            .base
            .amount
            .checked_add(discount_net)
            .and_then(|n| n.checked_sub(shipping_net))
            .ok_or(QuoteError::Overflow)?;
        let at_rate: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].rate_bps == v.rate_bps)
            .collect();
        let weights: Vec<i64> = at_rate.iter().map(|&i| lines[i].gross.amount).collect();
        if lines_net > 0 && weights.iter().all(|&w| w == 0) {
            // Nothing to share it among: no such document can be priced.
            return Err(QuoteError::Invalid);
        }
        for (&i, share) in at_rate.iter().zip(pro_rata(lines_net, &weights)) {
            lines[i].net = Money::eur(share);
        }
        if v.discount.amount > 0 {
            discounts.push(RateAmount {
                rate_bps: v.rate_bps,
                gross: v.discount,
                net: Money::eur(discount_net),
            });
        }
        if v.shipping.amount > 0 {
            shipping.push(RateAmount {
                rate_bps: v.rate_bps,
                gross: v.shipping,
                net: Money::eur(shipping_net),
            });
        }
    }
    let total_net = sum(vat.iter().map(|v| v.base.amount))?;
    let total_vat = sum(vat.iter().map(|v| v.vat.amount))?;
    Ok(Amounts {
        lines,
        discounts,
        shipping,
        total_net: Money::eur(total_net),
        total_vat: Money::eur(total_vat),
        total: Money::eur(
            total_net
                .checked_add(total_vat)
                .ok_or(QuoteError::Overflow)?,
        ),
        vat,
    })
}

/// An invoice's amounts: the order's lines, discount and shipping as
/// charged, split per rate as checkout priced them.
pub fn invoice_amounts(
    sold: &[SoldLine],
    discount: i64,
    shipping: i64,
    country: &str,
) -> Result<Amounts, QuoteError> {
    let mut quoted = Vec::with_capacity(sold.len());
    let mut lines = Vec::with_capacity(sold.len());
    for line in sold {
        let gross = Money::eur(line.unit_price)
            .checked_mul(line.quantity)
            .ok_or(QuoteError::Overflow)?;
        quoted.push(QuoteLine {
            line_total: gross,
            tax_class: line.tax_class,
        });
        lines.push(DocumentLine {
            sku: line.sku.clone(),
            description: line.description.clone(),
            quantity: line.quantity,
            rate_bps: crate::pricing::vat_rate_bps(country, line.tax_class)
                .ok_or(QuoteError::Country)?,
            gross,
            net: Money::eur(0),
        });
    }
    settle(lines, vat_breakdown(&quoted, discount, shipping, country)?)
}

/// Goods a refund gives money back for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundedLine {
    /// SKU, as on the invoice.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// Refunded for them, VAT included.
    pub amount: i64,
}

/// A credit note's amounts for a refund of `amount` (VAT included) against
/// `invoice`, after the credit notes already issued on it (`credited`):
/// returned goods at their own line's rate, and whatever else was refunded
/// (shipping, a goodwill gesture) shared among the invoice's rates in
/// proportion to what each still has uncredited, as an adjustment per rate.
/// A rate credited in full gives back exactly the VAT it still holds, so an
/// order refunded entirely leaves no VAT collected. `Invalid` when the goods
/// name a SKU the invoice lacks or exceed what their rate has left or the
/// amount, or the amount exceeds what the invoice has left.
pub fn credit_amounts(
    invoice: &Amounts,
    credited: &[Amounts],
    returned: &[RefundedLine],
    amount: i64,
) -> Result<Amounts, QuoteError> {
    // Per rate of the invoice: what is left to credit, and its VAT.
    let left: Vec<(i64, i64, i64)> = invoice
        .vat
        .iter()
        .map(|v| {
            let (charged, vat) = credited
                .iter()
                .flat_map(|c| &c.vat)
                .filter(|w| w.rate_bps == v.rate_bps)
                .fold((0, 0), |(c, t), w| {
                    (c + w.base.amount + w.vat.amount, t + w.vat.amount)
                });
            (
                v.rate_bps,
                v.base.amount + v.vat.amount - charged,
                v.vat.amount - vat,
            )
        })
        .collect();
    if amount <= 0 || amount > sum(left.iter().map(|&(_, c, _)| c))? {
        return Err(QuoteError::Invalid);
    }
    let mut lines = Vec::new();
    for r in returned {
        let sold = invoice
            .lines
            .iter()
            .find(|l| l.sku == r.sku)
            .ok_or(QuoteError::Invalid)?;
        if r.amount < 0 {
            return Err(QuoteError::Invalid);
        }
        lines.push(DocumentLine {
            sku: r.sku.clone(),
            description: sold.description.clone(),
            quantity: r.quantity,
            rate_bps: sold.rate_bps,
            gross: Money::eur(r.amount),
            net: Money::eur(0),
        });
    }
    let at_rate = |lines: &[DocumentLine], rate: i64| {
        sum(lines
            .iter()
            .filter(|l| l.rate_bps == rate)
            .map(|l| l.gross.amount))
    };
    let mut room = Vec::with_capacity(left.len());
    for &(rate, charged, _) in &left {
        let goods = at_rate(&lines, rate)?;
        if goods > charged {
            return Err(QuoteError::Invalid);
        }
        room.push(charged - goods);
    }
    let goods = sum(lines.iter().map(|l| l.gross.amount))?;
    let rest = amount.checked_sub(goods).ok_or(QuoteError::Overflow)?;
    if rest < 0 || rest > sum(room.iter().copied())? {
        return Err(QuoteError::Invalid);
    }
    for (&(rate, _, _), share) in left.iter().zip(pro_rata(rest, &room)) {
        if share > 0 {
            lines.push(DocumentLine {
                sku: String::new(),
                description: "Remboursement complémentaire (frais de port, geste commercial)"
                    .into(),
                quantity: 1,
                rate_bps: rate,
                gross: Money::eur(share),
                net: Money::eur(0),
            });
        }
    }
    let mut vat = Vec::new();
    for &(rate, charged, vat_left) in &left {
        if !lines.iter().any(|l| l.rate_bps == rate) {
            continue;
        }
        let credit = at_rate(&lines, rate)?;
        let tax = if credit == charged {
            vat_left.clamp(0, credit)
        } else {
            vat_included(credit, rate)
        };
        vat.push(VatLine {
            rate_bps: rate,
            goods: Money::eur(credit),
            discount: Money::eur(0),
            shipping: Money::eur(0),
            base: Money::eur(credit - tax),
            vat: Money::eur(tax),
        });
    }
    settle(lines, vat)
}

/// `12,34` for an amount in cents: the decimal comma of French documents,
/// with no grouping.
pub fn decimal_fr(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// `20 %`, `5,5 %` for a rate in basis points.
pub fn rate_fr(bps: i64) -> String {
    let whole = bps / 100;
    match bps % 100 {
        0 => format!("{whole} %"),
        part if part % 10 == 0 => format!("{whole},{} %", part / 10),
        part => format!("{whole},{part:02} %"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sold(sku: &str, unit: i64, quantity: u32, class: TaxClass) -> SoldLine {
        SoldLine {
            sku: sku.into(),
            description: format!("Article {sku}"),
            unit_price: unit,
            quantity,
            tax_class: class,
        }
    }

    /// Every rate balances: Σ lines − discount + shipping = base.
    fn balanced(a: &Amounts) -> bool {
        a.vat.iter().all(|v| {
            let lines: i64 = a
                .lines
                .iter()
                .filter(|l| l.rate_bps == v.rate_bps)
                .map(|l| l.net.amount)
                .sum();
            let at = |list: &[RateAmount]| -> i64 {
                list.iter()
                    .filter(|r| r.rate_bps == v.rate_bps)
                    .map(|r| r.net.amount)
                    .sum()
            };
            lines - at(&a.discounts) + at(&a.shipping) == v.base.amount
        })
    }

    #[test]
    fn a_mixed_cart_prints_its_amounts_before_vat_per_rate() {
        // A 10.55 € book and two 15 € shirts, 4.90 € shipping, 10 % off.
        let lines = [
            sold("LIVRE", 1_055, 1, TaxClass::Reduced),
            sold("CHEMISE", 1_500, 2, TaxClass::Standard),
        ];
        let a = invoice_amounts(&lines, 406, 490, "FR").unwrap();
        assert_eq!(a.total, Money::eur(1_055 + 3_000 - 406 + 490));
        assert!(balanced(&a));
        let shirt = &a.lines[1];
        assert_eq!((shirt.gross, shirt.rate_bps), (Money::eur(3_000), 2000));
        // 30 € at 20 %: 25 € before VAT, give or take the shared rounding.
        assert!((2_499..=2_501).contains(&shirt.net.amount), "{shirt:?}");
        assert_eq!(shirt.unit_net_e4(), shirt.net.amount * 100 / 2);
        assert_eq!(a.shipping.len(), 2);
        assert_eq!(a.discounts.iter().map(|d| d.gross.amount).sum::<i64>(), 406);
        assert_eq!(
            a.vat.iter().map(|v| v.vat.amount).sum::<i64>(),
            a.total_vat.amount
        );
        let franchise = a.clone().without_vat();
        assert!(balanced(&franchise));
        assert_eq!(
            (franchise.total_net, franchise.total_vat),
            (a.total, Money::eur(0))
        );
        // Reverse charge: the business pays the bases, at 0 %, line by line.
        let exempt = a.clone().reverse_charged();
        assert!(balanced(&exempt));
        assert_eq!(
            (exempt.total, exempt.total_vat),
            (a.total_net, Money::eur(0))
        );
        assert!(
            exempt
                .lines
                .iter()
                .zip(&a.lines)
                .all(|(e, l)| e.net == l.net && e.gross == l.net)
        );
        assert_eq!(rate_fr(550), "5,5 %");
        assert_eq!(rate_fr(2000), "20 %");
        assert_eq!(rate_fr(210), "2,1 %");
        assert_eq!(decimal_fr(-1_205), "-12,05");
    }

    #[test]
    fn goods_given_away_leave_shipping_no_more_than_the_base() {
        // 9,87 € + 6,35 € at 20 %, all of it off, 4,35 € shipping: the
        // shipping's share before VAT rounded past the rate's base here.
        let lines = [
            sold("A", 987, 1, TaxClass::Standard),
            sold("B", 635, 1, TaxClass::Standard),
        ];
        let a = invoice_amounts(&lines, 1_622, 435, "FR").unwrap();
        assert!(balanced(&a));
        let v = &a.vat[0];
        assert!(a.shipping[0].net.amount <= v.base.amount);
        let goods: i64 = a.lines.iter().map(|l| l.net.amount).sum();
        assert!(goods - a.discounts[0].net.amount >= 0);
    }

    #[test]
    fn a_credit_note_splits_what_was_refunded_by_rate() {
        let lines = [
            sold("LIVRE", 1_055, 1, TaxClass::Reduced),
            sold("CHEMISE", 1_500, 2, TaxClass::Standard),
        ];
        let invoice = invoice_amounts(&lines, 0, 490, "FR").unwrap();
        // One shirt back, and 2 € more (part of the shipping).
        let returned = [RefundedLine {
            sku: "CHEMISE".into(),
            quantity: 1,
            amount: 1_500,
        }];
        let credit = credit_amounts(&invoice, &[], &returned, 1_700).unwrap();
        assert_eq!(credit.total, Money::eur(1_700));
        assert!(balanced(&credit));
        assert_eq!(credit.lines[0].quantity, 1);
        assert_eq!(credit.lines.len(), 3, "{credit:?}");
        let standard = credit.vat.iter().find(|v| v.rate_bps == 2000).unwrap();
        assert_eq!(
            standard.vat,
            Money::eur(vat_included(standard.goods.amount, 2000))
        );
        // The book back, then everything else: the 5,5 % rate is credited
        // exactly what it holds, and no VAT is left collected.
        let book = [RefundedLine {
            sku: "LIVRE".into(),
            quantity: 1,
            amount: 1_055,
        }];
        let first = credit_amounts(&invoice, &[], &book, 1_055).unwrap();
        let rest = invoice.total.amount - 1_055;
        let second = credit_amounts(&invoice, std::slice::from_ref(&first), &[], rest).unwrap();
        for v in &invoice.vat {
            let back: i64 = [&first, &second]
                .iter()
                .flat_map(|c| &c.vat)
                .filter(|w| w.rate_bps == v.rate_bps)
                .map(|w| w.vat.amount)
                .sum();
            assert_eq!(back, v.vat.amount, "rate {}", v.rate_bps);
        }
        assert_eq!(
            credit_amounts(&invoice, &[first, second], &[], 1),
            Err(QuoteError::Invalid)
        );
        // Refused: more than the invoice, goods above the amount, unknown SKU.
        assert_eq!(
            credit_amounts(&invoice, &[], &[], invoice.total.amount + 1),
            Err(QuoteError::Invalid)
        );
        assert_eq!(
            credit_amounts(&invoice, &[], &returned, 1_000),
            Err(QuoteError::Invalid)
        );
        let unknown = [RefundedLine {
            sku: "X".into(),
            quantity: 1,
            amount: 1,
        }];
        assert_eq!(
            credit_amounts(&invoice, &[], &unknown, 10),
            Err(QuoteError::Invalid)
        );
    }

    #[test]
    fn numbers_sort_in_issue_order() {
        assert_eq!(DocumentKind::Invoice.number(2026, 42), "F2026-000042");
        assert_eq!(DocumentKind::CreditNote.number(2027, 1), "AV2027-000001");
        assert!(DocumentKind::Invoice.number(2026, 9) < DocumentKind::Invoice.number(2026, 10));
    }

    proptest! {
        #[test]
        fn every_rate_balances_and_the_totals_are_what_was_charged(
            lines in proptest::collection::vec((0i64..50_000, 1u32..5, 0usize..4), 1..8),
            discount_share in 0i64..=100,
            shipping in 0i64..2_000,
            refund_share in 1i64..=100,
        ) {
            let classes = [TaxClass::Standard, TaxClass::Intermediate, TaxClass::Reduced, TaxClass::SuperReduced];
            let sold: Vec<SoldLine> = lines.iter().enumerate()
                .map(|(i, &(unit, q, k))| sold(&format!("S{i}"), unit, q, classes[k]))
                .collect();
            let subtotal: i64 = sold.iter().map(|l| l.unit_price * i64::from(l.quantity)).sum();
            let discount = subtotal * discount_share / 100;
            let a = invoice_amounts(&sold, discount, shipping, "FR").unwrap();
            prop_assert_eq!(a.total.amount, subtotal - discount + shipping);
            prop_assert!(balanced(&a));
            prop_assert!(a.lines.iter().all(|l| l.net.amount >= 0 && l.net.amount <= l.gross.amount));
            for v in &a.vat {
                let at = |list: &[RateAmount]| list.iter().filter(|r| r.rate_bps == v.rate_bps).map(|r| r.net.amount).sum::<i64>();
                prop_assert!(at(&a.shipping) <= v.base.amount, "shipping above the base");
            }
            prop_assert_eq!(a.total_net.amount + a.total_vat.amount, a.total.amount);
            if a.total.amount > 0 {
                let refund = (a.total.amount * refund_share / 100).max(1);
                let c = credit_amounts(&a, &[], &[], refund).unwrap();
                prop_assert_eq!(c.total.amount, refund);
                prop_assert!(balanced(&c));
                // The rest in a second credit note: all VAT given back.
                if refund < a.total.amount {
                    let d = credit_amounts(&a, std::slice::from_ref(&c), &[], a.total.amount - refund).unwrap();
                    prop_assert!(balanced(&d));
                    prop_assert_eq!(c.total_vat.amount + d.total_vat.amount, a.total_vat.amount);
                }
            }
        }
    }
}
