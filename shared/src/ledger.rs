//! Double-entry bookkeeping of the shop's sales, by the French chart of
//! accounts (PCG): what each business event writes, as balanced entries
//! (Σ debits = Σ credits, checked before anything is written), and the
//! layouts the accountant reads them in (the FEC file, the VAT return's
//! lines).

use serde::{Deserialize, Serialize};

use crate::invoice::{Amounts, DocumentKind, InvoiceDocument, rate_fr};
use crate::money::Money;

/// What an account is for; its number and name are the shop's chart's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = AccountRole))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 411: what customers owe (and are owed).
    Customers,
    /// 707: sales of goods, one account per VAT rate.
    Sales,
    /// 7085: shipping charged, one account per VAT rate.
    Shipping,
    /// 44571: VAT collected.
    VatCollected,
    /// 511: money the payment provider holds for the shop.
    Clearing,
    /// 512: the bank.
    Bank,
    /// 627: the provider's fees.
    Fees,
    /// 471: money received that is no sale (a double payment given back).
    Suspense,
    /// 607: goods bought for resale, at cost before VAT.
    Purchases,
    /// 408: suppliers whose goods arrived before their invoice.
    UninvoicedSuppliers,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 10] = [
        Self::Customers,
        Self::Sales,
        Self::Shipping,
        Self::VatCollected,
        Self::Clearing,
        Self::Bank,
        Self::Fees,
        Self::Suspense,
        Self::Purchases,
        Self::UninvoicedSuppliers,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Sales => "sales",
            Self::Shipping => "shipping",
            Self::VatCollected => "vat_collected",
            Self::Clearing => "clearing",
            Self::Bank => "bank",
            Self::Fees => "fees",
            Self::Suspense => "suspense",
            Self::Purchases => "purchases",
            Self::UninvoicedSuppliers => "uninvoiced_suppliers",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// The class of the French chart its number must start with (so a
    /// bank account is never numbered as a customer one).
    pub fn class(self) -> &'static str {
        match self {
            Self::Customers => "411",
            Self::Sales => "70",
            Self::Shipping => "708",
            Self::VatCollected => "4457",
            Self::Clearing => "51",
            Self::Bank => "512",
            Self::Fees => "62",
            Self::Suspense => "47",
            Self::Purchases => "60",
            Self::UninvoicedSuppliers => "408",
        }
    }

    /// Whether the account is kept per VAT rate (its number a prefix).
    pub fn per_rate(self) -> bool {
        matches!(self, Self::Sales | Self::Shipping | Self::VatCollected)
    }
}

/// An account of the shop's chart: its role, number and name (for the
/// accounts kept per VAT rate, the number is a prefix the rate completes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChartAccount {
    /// What the account is for.
    pub role: Role,
    /// Its number (digits).
    pub number: String,
    /// Its name.
    pub name: String,
    /// Whether the shop set it (else the French chart's default).
    pub custom: bool,
}

/// Body of `PUT /api/finance/chart/{role}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChartAccountInput {
    /// 3 to 10 digits (a prefix for the accounts kept per rate), its class
    /// of the French chart first (411 customers, 70 sales, 708 shipping,
    /// 4457 VAT, 51 clearing, 512 bank, 62 fees, 47 suspense).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{3,10}$", example = "411100")
    )]
    pub number: String,
    /// 1 to 100 characters on one line.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "Clients boutique")
    )]
    pub name: String,
}

impl ChartAccountInput {
    /// Checks both fields for `role`'s account; the error names the one at
    /// fault.
    pub fn validate(
        &self,
        role: Role,
    ) -> Result<(String, String), (&'static str, crate::error::ValidationError)> {
        let number = self.number.as_str();
        if !(3..=10).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err((
                "number",
                crate::error::ValidationError("an account number of 3 to 10 digits".into()),
            ));
        }
        if !number.starts_with(role.class()) {
            return Err((
                "number",
                crate::error::ValidationError(format!(
                    "this account is numbered in class {} of the French chart",
                    role.class()
                )),
            ));
        }
        let name = crate::text::typed(&self.name, 1, 100, crate::text::Lines::One)
            .map_err(|e| ("name", e))?;
        Ok((number.to_owned(), name))
    }
}

/// A journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Journal {
    /// Invoices and credit notes.
    Sales,
    /// The provider's and the bank's movements.
    Bank,
    /// Goods received from suppliers.
    Purchases,
}

impl Journal {
    /// Code and name (PCG custom).
    pub fn code_and_name(self) -> (&'static str, &'static str) {
        match self {
            Self::Sales => ("VE", "Ventes"),
            Self::Bank => ("BQ", "Banque et prestataire de paiement"),
            Self::Purchases => ("AC", "Achats"),
        }
    }
}

/// An account's number and name by the French chart (PCG); sales and VAT
/// are split per rate (`rate_bps`) and per country of VAT outside France
/// (`country`), the others ignore both.
pub fn account(role: Role, rate_bps: Option<i64>, country: Option<&str>) -> (String, String) {
    let (number, name) = default_account(role);
    account_as(role, rate_bps, country, number, name)
}

/// The French chart's number (a prefix for the accounts kept per rate) and
/// name of a role's account.
pub fn default_account(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Customers => ("411000", "Clients"),
        Role::Sales => ("707", "Ventes de marchandises TVA"),
        Role::Shipping => ("7085", "Ports facturés TVA"),
        Role::VatCollected => ("44571", "TVA collectée"),
        Role::Clearing => ("511500", "Paiements par carte à encaisser"),
        Role::Bank => ("512000", "Banque"),
        Role::Fees => ("627000", "Services bancaires et assimilés"),
        Role::Suspense => ("471000", "Encaissements à régulariser"),
        Role::Purchases => ("607000", "Achats de marchandises"),
        Role::UninvoicedSuppliers => ("408100", "Fournisseurs - factures non parvenues"),
    }
}

/// An account numbered and named `number`/`name` (the shop's own chart),
/// completed for the accounts kept per rate by the country whose VAT it is
/// when not France (a sale delivered elsewhere in the EU: `DE`) and the
/// rate: 2000 → `200`, 550 → `055`, 210 → `021` after the prefix, so
/// `44571200` is French VAT at 20 % and `44571DE190` German VAT at 19 %
/// (the FEC allows letters after an account's first three digits).
pub fn account_as(
    role: Role,
    rate_bps: Option<i64>,
    country: Option<&str>,
    number: &str,
    name: &str,
) -> (String, String) {
    if !role.per_rate() {
        return (number.to_owned(), name.to_owned());
    }
    let rate = rate_bps.unwrap_or(0);
    match country.filter(|c| *c != "FR") {
        Some(c) => (
            format!("{number}{c}{:03}", rate / 10),
            format!("{name} {c} {}", rate_fr(rate)),
        ),
        None => (
            format!("{number}{:03}", rate / 10),
            format!("{name} {}", rate_fr(rate)),
        ),
    }
}

/// One line of an entry before it is numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The account's role.
    pub role: Role,
    /// Its VAT rate, for the accounts split per rate.
    pub rate_bps: Option<i64>,
    /// The country whose VAT it is, for the accounts split per rate.
    #[serde(default)]
    pub country: Option<String>,
    /// Debit, in cents (≥ 0).
    pub debit: i64,
    /// Credit, in cents (≥ 0).
    pub credit: i64,
}

impl Posting {
    fn debit(role: Role, rate_bps: Option<i64>, amount: i64) -> Self {
        Self {
            role,
            rate_bps,
            country: None,
            debit: amount,
            credit: 0,
        }
    }

    fn credit(role: Role, rate_bps: Option<i64>, amount: i64) -> Self {
        Self {
            role,
            rate_bps,
            country: None,
            debit: 0,
            credit: amount,
        }
    }
}

/// Whether an entry can be written: lines with one side only, no negative
/// amount, something moved, Σ debits = Σ credits.
pub fn balanced(lines: &[Posting]) -> bool {
    let (mut debit, mut credit) = (0i128, 0i128);
    for l in lines {
        if l.debit < 0 || l.credit < 0 || (l.debit > 0 && l.credit > 0) {
            return false;
        }
        debit += i128::from(l.debit);
        credit += i128::from(l.credit);
    }
    debit == credit && debit > 0
}

/// Per rate, what a document's amounts say before VAT: goods (lines less
/// the discount), shipping, and the VAT.
fn per_rate(a: &Amounts) -> Vec<(i64, i64, i64, i64)> {
    a.vat
        .iter()
        .map(|v| {
            let shipping: i64 = a
                .shipping
                .iter()
                .filter(|s| s.rate_bps == v.rate_bps)
                .map(|s| s.net.amount)
                .sum();
            (v.rate_bps, v.base.amount - shipping, shipping, v.vat.amount)
        })
        .collect()
}

/// The entry of an invoice (the customer owes the total; sales, shipping
/// and VAT per rate) or of a credit note (the reverse).
pub fn document_entry(doc: &InvoiceDocument) -> Vec<Posting> {
    let invoice = doc.kind == DocumentKind::Invoice;
    let side = |role, rate, amount| {
        if invoice {
            Posting::credit(role, rate, amount)
        } else {
            Posting::debit(role, rate, amount)
        }
    };
    let mut lines = vec![if invoice {
        Posting::debit(Role::Customers, None, doc.amounts.total.amount)
    } else {
        Posting::credit(Role::Customers, None, doc.amounts.total.amount)
    }];
    let country = doc.vat_country.as_str();
    for (rate, goods, shipping, vat) in per_rate(&doc.amounts) {
        for (role, amount) in [
            (Role::Sales, goods),
            (Role::Shipping, shipping),
            (Role::VatCollected, vat),
        ] {
            if amount != 0 {
                lines.push(Posting {
                    country: Some(country.to_owned()),
                    ..side(role, Some(rate), amount)
                });
            }
        }
    }
    lines
}

/// Money the provider took for a sale (`to_customer`) or that was no sale
/// (to the suspense account), or gave back (`refund`).
pub fn money_entry(amount: i64, sale: bool, refund: bool) -> Vec<Posting> {
    let other = if sale {
        Role::Customers
    } else {
        Role::Suspense
    };
    if refund {
        vec![
            Posting::debit(other, None, amount),
            Posting::credit(Role::Clearing, None, amount),
        ]
    } else {
        vec![
            Posting::debit(Role::Clearing, None, amount),
            Posting::credit(other, None, amount),
        ]
    }
}

/// Goods received from a supplier before its invoice, at cost before VAT:
/// 607 / 408 (the invoice, booked by the accountant, moves 408 to 401 with
/// the deductible VAT).
pub fn purchase_entry(cost: i64) -> Vec<Posting> {
    vec![
        Posting::debit(Role::Purchases, None, cost),
        Posting::credit(Role::UninvoicedSuppliers, None, cost),
    ]
}

/// A payout: the provider's fees on what it settles (627 / 511) and the
/// money it sends the bank (512 / 511; a payout below zero is the bank
/// paying the provider back).
pub fn payout_entry(fees: i64, paid_out: i64) -> Vec<Posting> {
    let signed = |role, amount: i64| {
        if amount >= 0 {
            Posting::debit(role, None, amount)
        } else {
            Posting::credit(role, None, -amount)
        }
    };
    [
        signed(Role::Fees, fees),
        signed(Role::Bank, paid_out),
        signed(Role::Clearing, -(fees + paid_out)),
    ]
    .into_iter()
    .filter(|p| p.debit != 0 || p.credit != 0)
    .collect()
}

/// A numbered entry line as the journal and the FEC read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerLine {
    /// Journal code (`VE`).
    pub journal: String,
    /// Journal name.
    pub journal_name: String,
    /// Entry number, continuous per journal and fiscal year.
    pub number: i64,
    /// Entry date (unix ms).
    pub date_ms: i64,
    /// Account number.
    pub account: String,
    /// Account name.
    pub account_name: String,
    /// Auxiliary (customer) account, for 411.
    pub aux: String,
    /// Its name.
    pub aux_name: String,
    /// The document it rests on (invoice number, payment reference).
    pub piece: String,
    /// The document's date (unix ms).
    pub piece_date_ms: i64,
    /// What happened.
    pub label: String,
    /// Debit.
    pub debit: Money,
    /// Credit.
    pub credit: Money,
    /// When it was validated (unix ms).
    pub validated_ms: i64,
}

/// The 18 columns of the FEC (art. A47 A-1 of the Livre des procédures
/// fiscales), in order.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// `AAAAMMJJ` in Paris.
pub fn fec_date(ms: i64) -> String {
    let (y, m, d) = crate::calendar::paris_date(ms);
    format!("{y:04}{m:02}{d:02}")
}

/// A field as the FEC holds it: on one line, no tab, in ISO 8859-15 (what
/// that charset lacks is spelled with what it has).
pub fn fec_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            '—' | '–' | '‑' => out.push('-'),
            '·' | '•' => out.push('.'),
            '’' | '‘' => out.push('\''),
            '“' | '”' => out.push('"'),
            '\u{202f}' | '\u{a0}' => out.push(' '),
            c if latin9(c).is_some() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// A character's ISO 8859-15 byte, if it has one.
pub fn latin9(c: char) -> Option<u8> {
    let swapped = [
        ('€', 0xA4),
        ('Š', 0xA6),
        ('š', 0xA8),
        ('Ž', 0xB4),
        ('ž', 0xB8),
        ('Œ', 0xBC),
        ('œ', 0xBD),
        ('Ÿ', 0xBE),
    ];
    if let Some(&(_, byte)) = swapped.iter().find(|(s, _)| *s == c) {
        return Some(byte);
    }
    let code = u32::from(c);
    let replaced = [0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE];
    match code {
        0x20..=0x7E => u8::try_from(code).ok(),
        0xA0..=0xFF if !replaced.contains(&code) => u8::try_from(code).ok(),
        _ => None,
    }
}

/// `1234,56`: an FEC amount.
pub fn fec_amount(cents: i64) -> String {
    crate::invoice::decimal_fr(cents)
}

/// The FEC of `lines` (already in journal, number, line order), as ISO
/// 8859-15 bytes: a header, then one tab-separated line per entry line,
/// CRLF line ends.
pub fn fec(lines: &[LedgerLine]) -> Vec<u8> {
    let mut text = FEC_COLUMNS.join("\t");
    text.push_str("\r\n");
    for l in lines {
        let fields = [
            fec_text(&l.journal),
            fec_text(&l.journal_name),
            l.number.to_string(),
            fec_date(l.date_ms),
            fec_text(&l.account),
            fec_text(&l.account_name),
            fec_text(&l.aux),
            fec_text(&l.aux_name),
            fec_text(&l.piece),
            fec_date(l.piece_date_ms),
            fec_text(&l.label),
            fec_amount(l.debit.amount),
            fec_amount(l.credit.amount),
            String::new(),
            String::new(),
            fec_date(l.validated_ms),
            String::new(),
            String::new(),
        ];
        text.push_str(&fields.join("\t"));
        text.push_str("\r\n");
    }
    text.chars().filter_map(latin9_or_control).collect()
}

fn latin9_or_control(c: char) -> Option<u8> {
    match c {
        '\t' => Some(b'\t'),
        '\r' => Some(b'\r'),
        '\n' => Some(b'\n'),
        c => latin9(c).or(Some(b'?')),
    }
}

/// Where sales taxed at `rate_bps` in `country` are declared: a line of the
/// French VAT return (3310-CA3) for France and for intra-EU deliveries to
/// businesses (line 06, exempt: the only 0 % sales booked to another
/// country), the One-Stop Shop return (OSS) for consumers elsewhere in the
/// EU.
pub fn ca3_line(rate_bps: i64, country: &str) -> String {
    if country != "FR" {
        return if rate_bps == 0 {
            "06 (livraisons intracommunautaires)".into()
        } else {
            format!("OSS {country}")
        };
    }
    match rate_bps {
        2000 => "08",
        1000 => "9B",
        550 => "09",
        210 => "3310-A (2,10 %)",
        0 => "E1 (non imposable)",
        _ => "à ventiler",
    }
    .into()
}

/// A closed fiscal year (answer of `POST /api/finance/years/{year}/close`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedYear {
    /// The year.
    pub year: i64,
    /// When it was closed (unix ms): the first closing's, when closed twice.
    pub closed_at_ms: i64,
}

/// One month and rate of the VAT report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VatReportLine {
    /// `2026-12`.
    pub month: String,
    /// The country whose VAT it is (`FR`; another one for sales delivered
    /// elsewhere in the EU).
    pub country: String,
    /// The rate, basis points.
    pub rate_bps: i64,
    /// Where it is declared: its line on the CA3, or `OSS` and the country.
    pub ca3_line: String,
    /// Taxable base: sales and shipping before VAT, net of credit notes.
    pub base: Money,
    /// VAT collected, net of credit notes (the 44571 movements).
    pub vat: Money,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoice::{
        Buyer, InvoiceDocument, Payment, RefundedLine, SoldLine, credit_amounts, invoice_amounts,
    };
    use crate::pricing::TaxClass;
    use proptest::prelude::*;

    fn doc(kind: DocumentKind, amounts: Amounts) -> InvoiceDocument {
        InvoiceDocument {
            kind,
            number: "F2026-000001".into(),
            issued_at_ms: 0,
            order_id: crate::ids::OrderId::parse("0123456789abcdef0123456789abcdef").unwrap(),
            ordered_at_ms: 0,
            shipping_method: "colissimo".into(),
            corrects: None,
            reason: String::new(),
            seller: crate::invoice::Seller {
                name: "S".into(),
                legal_form: "SAS".into(),
                share_capital: "1 €".into(),
                street: "x".into(),
                postal_code: "75002".into(),
                city: "Paris".into(),
                country: "FR".into(),
                siren: crate::company::Siren::parse("901234567").unwrap(),
                rcs_city: "Paris".into(),
                vat_number: None,
                vat_franchise: false,
            },
            buyer: Buyer {
                email: "a@b.fr".into(),
                billing: crate::checkout::RawAddress {
                    name: "A".into(),
                    line1: "x".into(),
                    line2: String::new(),
                    postal_code: "75002".into(),
                    city: "Paris".into(),
                    country: "FR".into(),
                },
                delivery: None,
                company: None,
            },
            amounts,
            payment: Payment {
                at_ms: 0,
                method: "Carte".into(),
                reference: "pi".into(),
            },
            vat_country: "FR".into(),
            reverse_charge: false,
        }
    }

    #[test]
    fn accounts_follow_the_pcg_per_rate() {
        assert_eq!(account(Role::Sales, Some(2000), None).0, "707200");
        assert_eq!(account(Role::Sales, Some(550), Some("FR")).0, "707055");
        assert_eq!(account(Role::Shipping, Some(550), None).0, "7085055");
        assert_eq!(account(Role::VatCollected, Some(2000), None).0, "44571200");
        assert_eq!(account(Role::VatCollected, Some(210), None).0, "44571021");
        assert_eq!(
            account(Role::VatCollected, Some(1900), Some("DE")),
            ("44571DE190".into(), "TVA collectée DE 19 %".into())
        );
        assert_eq!(account(Role::Sales, Some(0), Some("BE")).0, "707BE000");
        assert_eq!(ca3_line(2000, "FR"), "08");
        assert_eq!(ca3_line(1900, "DE"), "OSS DE");
        assert_eq!(ca3_line(0, "BE"), "06 (livraisons intracommunautaires)");
        assert_eq!(fec_text("Chemise — Bleu · M\tx"), "Chemise - Bleu . M x");
        assert_eq!(
            fec(&[]),
            FEC_COLUMNS
                .join("\t")
                .into_bytes()
                .into_iter()
                .chain(*b"\r\n")
                .collect::<Vec<_>>()
        );
        assert_eq!(latin9('€'), Some(0xA4));
        assert_eq!(latin9('¤'), None);
        assert_eq!(latin9('é'), Some(0xE9));
    }

    proptest! {
        #[test]
        fn every_entry_balances(
            lines in proptest::collection::vec((1i64..50_000, 1u32..4, 0usize..4), 1..6),
            discount_share in 0i64..=100,
            shipping in 0i64..1_500,
            refund_share in 1i64..=100,
        ) {
            let classes = [TaxClass::Standard, TaxClass::Intermediate, TaxClass::Reduced, TaxClass::SuperReduced];
            let sold: Vec<SoldLine> = lines.iter().enumerate().map(|(i, &(unit, quantity, k))| SoldLine {
                sku: format!("S{i}"), description: "x".into(), unit_price: unit, quantity, tax_class: classes[k],
            }).collect();
            let subtotal: i64 = sold.iter().map(|l| l.unit_price * i64::from(l.quantity)).sum();
            let a = invoice_amounts(&sold, subtotal * discount_share / 100, shipping, "FR").unwrap();
            if a.total.amount == 0 {
                return Ok(());
            }
            let invoice = doc(DocumentKind::Invoice, a.clone());
            let sale = document_entry(&invoice);
            prop_assert!(balanced(&sale), "{sale:?}");
            prop_assert!(balanced(&money_entry(a.total.amount, true, false)));
            prop_assert!(balanced(&payout_entry(shipping, a.total.amount)));
            prop_assert!(balanced(&payout_entry(shipping, -a.total.amount)));
            let returned = [RefundedLine { sku: "S0".into(), quantity: 1, amount: sold[0].unit_price.min(a.total.amount) }];
            let refund = (a.total.amount * refund_share / 100).max(1);
            let c = credit_amounts(&a, &[], &returned, refund).or_else(|_| credit_amounts(&a, &[], &[], refund)).unwrap();
            let credit = document_entry(&doc(DocumentKind::CreditNote, c));
            prop_assert!(balanced(&credit), "{credit:?}");
            // The VAT on the sale's entry is the invoice's.
            let vat: i64 = sale.iter().filter(|l| l.role == Role::VatCollected).map(|l| l.credit).sum();
            prop_assert_eq!(vat, a.total_vat.amount);
        }
    }
}
