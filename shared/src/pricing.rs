//! Pricing: from cart lines to what the shopper pays. The storefront displays
//! with it and checkout charges with it, so the two cannot disagree.
//!
//! Prices are VAT-inclusive (French display rules); VAT is extracted, never
//! added. Order of operations: subtotal → promotions (on merchandise, capped
//! at the subtotal) → shipping (waived by a free-shipping promotion or the
//! method's threshold) → VAT per rate at the destination's rates
//! ([`vat_breakdown`]): lines net of their share of the discount, shipping
//! shared among the rates like the goods it carries, the VAT of each rate
//! computed once on its sum. All rounding goes through [`round_div`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::PromoCode;
use crate::money::Money;

/// A product's VAT category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaxClass {
    /// Most goods (clothing, accessories).
    #[default]
    Standard,
    /// Intermediate rate (e.g. some services).
    Intermediate,
    /// Reduced rate (e.g. books, food).
    Reduced,
    /// Super-reduced rate (e.g. press, some medicines).
    SuperReduced,
}

impl TaxClass {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Intermediate => "intermediate",
            Self::Reduced => "reduced",
            Self::SuperReduced => "super_reduced",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Standard,
            Self::Intermediate,
            Self::Reduced,
            Self::SuperReduced,
        ]
        .into_iter()
        .find(|c| c.as_str() == raw)
    }
}

/// VAT rates in basis points by destination country, per class:
/// standard, intermediate, reduced, super-reduced.
const VAT_TABLE: [(&str, [i64; 4]); 8] = [
    ("FR", [2000, 1000, 550, 210]),
    ("BE", [2100, 1200, 600, 600]),
    ("DE", [1900, 700, 700, 700]),
    ("ES", [2100, 1000, 1000, 400]),
    ("IT", [2200, 1000, 500, 400]),
    ("LU", [1700, 1400, 800, 300]),
    ("NL", [2100, 900, 900, 900]),
    ("PT", [2300, 1300, 600, 600]),
];

/// The countries the shop delivers to: those whose VAT it knows (the
/// destination's VAT applies to a consumer there, declared through the
/// EU's One-Stop Shop), France first.
pub fn destinations() -> impl Iterator<Item = &'static str> {
    VAT_TABLE.iter().map(|(c, _)| *c)
}

/// Whether the shop delivers to `country` (ISO alpha-2, upper case).
pub fn ships_to(country: &str) -> bool {
    destinations().any(|c| c == country)
}

/// The VAT rate (basis points) of `class` in `country`, if we sell there.
pub fn vat_rate_bps(country: &str, class: TaxClass) -> Option<i64> {
    let (_, rates) = VAT_TABLE.iter().find(|(c, _)| *c == country)?;
    Some(match class {
        TaxClass::Standard => rates[0],
        TaxClass::Intermediate => rates[1],
        TaxClass::Reduced => rates[2],
        TaxClass::SuperReduced => rates[3],
    })
}

/// How a parcel travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShippingMethodCode {
    /// Home delivery, tracked.
    #[default]
    Colissimo,
    /// Pick-up point.
    Relay,
    /// Next working day.
    Express,
}

/// A shipping method's price and promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShippingMethod {
    /// Its code.
    pub code: ShippingMethodCode,
    /// Price, VAT included.
    pub price: Money,
    /// Free from this merchandise subtotal (after discounts), if ever.
    pub free_from: Option<Money>,
    /// Fastest delivery, working days.
    pub min_days: u8,
    /// Slowest delivery, working days.
    pub max_days: u8,
}

/// Every shipping method, cheapest promise first.
pub const SHIPPING_METHODS: [ShippingMethod; 3] = [
    ShippingMethod {
        code: ShippingMethodCode::Colissimo,
        price: Money::eur(490),
        free_from: Some(Money::eur(6000)),
        min_days: 2,
        max_days: 3,
    },
    ShippingMethod {
        code: ShippingMethodCode::Relay,
        price: Money::eur(390),
        free_from: Some(Money::eur(4500)),
        min_days: 3,
        max_days: 5,
    },
    ShippingMethod {
        code: ShippingMethodCode::Express,
        price: Money::eur(990),
        free_from: None,
        min_days: 1,
        max_days: 1,
    },
];

/// What the methods that leave France cost: Colissimo Europe and the relay
/// network of the neighbouring countries; express stays in France.
const EU_SHIPPING: [ShippingMethod; 2] = [
    ShippingMethod {
        code: ShippingMethodCode::Colissimo,
        price: Money::eur(1290),
        free_from: Some(Money::eur(12000)),
        min_days: 3,
        max_days: 6,
    },
    ShippingMethod {
        code: ShippingMethodCode::Relay,
        price: Money::eur(690),
        free_from: Some(Money::eur(8000)),
        min_days: 4,
        max_days: 7,
    },
];

impl ShippingMethod {
    /// The end of the Paris day (unix ms) an order placed at `ordered_ms`
    /// is promised to arrive by: one working day to prepare it, then the
    /// method's slowest transit, in working days (Monday to Friday;
    /// holidays are not known).
    pub fn promised_by_ms(&self, ordered_ms: i64) -> i64 {
        use crate::calendar::{paris_day, paris_day_start_ms, weekday};
        let mut day = paris_day(ordered_ms);
        let mut left = 1 + u32::from(self.max_days);
        while left > 0 {
            day += 1;
            if weekday(day) < 5 {
                left -= 1;
            }
        }
        paris_day_start_ms(day + 1)
    }
}

/// The methods that deliver to `country`, cheapest promise first (none
/// where the shop does not deliver).
pub fn shipping_methods(country: &str) -> &'static [ShippingMethod] {
    match country {
        "FR" => &SHIPPING_METHODS,
        c if ships_to(c) => &EU_SHIPPING,
        _ => &[],
    }
}

impl ShippingMethodCode {
    /// The method's terms to `country`, if it delivers there.
    pub fn to(self, country: &str) -> Option<ShippingMethod> {
        shipping_methods(country)
            .iter()
            .find(|m| m.code == self)
            .copied()
    }

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Colissimo => "colissimo",
            Self::Relay => "relay",
            Self::Express => "express",
        }
    }

    /// Its name, as the shopper and the invoice read it.
    pub fn name(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Self::Colissimo => lang.pick("Colissimo à domicile", "Colissimo home delivery"),
            Self::Relay => lang.pick("Point relais", "Pick-up point"),
            Self::Express => "Express",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        SHIPPING_METHODS
            .iter()
            .map(|m| m.code)
            .find(|c| c.as_str() == raw)
    }
}

/// What a promotion takes off. Read through [`WireKind`]: serde cannot
/// refuse unknown fields of an internally tagged enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", try_from = "WireKind")]
pub enum PromotionKind {
    /// A share of the merchandise subtotal, in basis points (1..=10000).
    Percentage {
        /// 1000 = 10 %.
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000))]
        bps: u32,
    },
    /// A fixed amount off the merchandise subtotal (never below zero).
    FixedAmount {
        /// Amount off.
        amount: Money,
    },
    /// Shipping is free.
    FreeShipping,
}

/// [`PromotionKind`] as the JSON has it: the tag and every variant's field,
/// nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireKind {
    #[serde(rename = "type")]
    kind: String,
    bps: Option<u32>,
    amount: Option<Money>,
}

impl TryFrom<WireKind> for PromotionKind {
    type Error = String;

    fn try_from(w: WireKind) -> Result<Self, String> {
        let only = |extra: bool, kind: Self| {
            if extra {
                Err(format!("a {} promotion has no other field", w.kind))
            } else {
                Ok(kind)
            }
        };
        match w.kind.as_str() {
            "percentage" => only(
                w.amount.is_some(),
                Self::Percentage {
                    bps: w.bps.ok_or("missing field `bps`")?,
                },
            ),
            "fixed_amount" => only(
                w.bps.is_some(),
                Self::FixedAmount {
                    amount: w.amount.ok_or("missing field `amount`")?,
                },
            ),
            "free_shipping" => only(w.bps.is_some() || w.amount.is_some(), Self::FreeShipping),
            other => Err(format!(
                "unknown promotion type `{other}`: percentage, fixed_amount or free_shipping"
            )),
        }
    }
}

/// The largest amount a promotion may name (a fixed discount or a minimum
/// subtotal): 1 000 000 €, in cents.
pub const PROMOTION_MAX_CENTS: i64 = 100_000_000;

/// Ten years of 366 days, in ms: how far a promotion's dates may lie from today.
const TEN_YEARS_MS: i64 = 10 * 366 * 24 * 3_600 * 1_000;

/// A promotion code's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    /// The code the shopper types.
    pub code: PromoCode,
    /// What it takes off.
    pub kind: PromotionKind,
    /// Merchandise subtotal needed, before discounts.
    pub min_subtotal: Money,
    /// Valid from (unix ms, inclusive).
    pub starts_at_ms: i64,
    /// Valid until (unix ms, exclusive), if it ends.
    pub ends_at_ms: Option<i64>,
    /// Total uses allowed, across all customers.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub usage_limit: Option<u32>,
    /// Uses allowed per customer e-mail.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub per_customer_limit: Option<u32>,
    /// Whether it may combine with other codes.
    pub stackable: bool,
    /// Disabled codes apply nowhere.
    pub active: bool,
}

/// How often a promotion was already used (paid or pending orders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromotionUses {
    /// By everyone.
    pub total: u32,
    /// By this customer.
    pub by_customer: u32,
}

/// Why a code does not apply; shown to the shopper as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case", try_from = "WireRefusal")]
pub enum PromoRefusal {
    /// No such code.
    Unknown,
    /// Disabled by staff.
    Inactive,
    /// Its window has not opened yet.
    NotStarted,
    /// Its window has closed.
    Expired,
    /// The cart is below the minimum.
    BelowMinimum {
        /// The minimum merchandise subtotal.
        minimum: Money,
    },
    /// Every allowed use is taken.
    UsageLimitReached,
    /// This customer used it as often as allowed.
    AlreadyUsed,
    /// It cannot combine with the other codes.
    NotStackable,
}

/// [`PromoRefusal`] as the JSON has it (flat, so the browser bundles skip
/// serde's internally-tagged enum machinery).
#[derive(Deserialize)]
pub struct WireRefusal {
    reason: String,
    minimum: Option<Money>,
}

impl TryFrom<WireRefusal> for PromoRefusal {
    type Error = String;

    fn try_from(w: WireRefusal) -> Result<Self, String> {
        Ok(match w.reason.as_str() {
            "unknown" => Self::Unknown,
            "inactive" => Self::Inactive,
            "not_started" => Self::NotStarted,
            "expired" => Self::Expired,
            "below_minimum" => Self::BelowMinimum {
                minimum: w.minimum.ok_or("missing field `minimum`")?,
            },
            "usage_limit_reached" => Self::UsageLimitReached,
            "already_used" => Self::AlreadyUsed,
            "not_stackable" => Self::NotStackable,
            other => return Err(format!("unknown reason `{other}`")),
        })
    }
}

impl Promotion {
    /// Whether these terms make sense at all (staff create codes with them;
    /// [`Promotion::check`] then decides per cart): a percentage of 0.01 % to
    /// 100 %, a positive fixed amount, amounts in euros up to
    /// [`PROMOTION_MAX_CENTS`], a window within ten years of `now_ms` that
    /// ends after it starts, limits of at least one use. The error names the field.
    pub fn validate(&self, now_ms: i64) -> Result<(), (&'static str, crate::ValidationError)> {
        let bad = |field, message: &str| Err((field, crate::ValidationError(message.into())));
        let eur = crate::money::Currency::Eur;
        let amounts = 0..=PROMOTION_MAX_CENTS;
        match self.kind {
            PromotionKind::Percentage { bps } if !(1..=10_000).contains(&bps) => {
                return bad("kind.bps", "a percentage from 1 to 10000 basis points");
            }
            PromotionKind::FixedAmount { amount }
                if amount.amount <= 0
                    || !amounts.contains(&amount.amount)
                    || amount.currency != eur =>
            {
                return bad(
                    "kind.amount",
                    "a positive amount in EUR, at most 1000000.00",
                );
            }
            _ => {}
        }
        if !amounts.contains(&self.min_subtotal.amount) || self.min_subtotal.currency != eur {
            return bad("min_subtotal", "0 to 1000000.00, in EUR");
        }
        let window = now_ms.saturating_sub(TEN_YEARS_MS)..=now_ms.saturating_add(TEN_YEARS_MS);
        if !window.contains(&self.starts_at_ms) {
            return bad(
                "starts_at_ms",
                "a unix time in ms within ten years of today",
            );
        }
        if self.ends_at_ms.is_some_and(|end| !window.contains(&end)) {
            return bad("ends_at_ms", "a unix time in ms within ten years of today");
        }
        if self.ends_at_ms.is_some_and(|end| end <= self.starts_at_ms) {
            return bad("ends_at_ms", "after starts_at_ms");
        }
        if self.usage_limit == Some(0) {
            return bad("usage_limit", "at least 1 (or none)");
        }
        if self.per_customer_limit == Some(0) {
            return bad("per_customer_limit", "at least 1 (or none)");
        }
        Ok(())
    }

    /// Whether the code applies to a cart of `subtotal` at `now_ms`.
    pub fn check(
        &self,
        subtotal: Money,
        now_ms: i64,
        uses: PromotionUses,
    ) -> Result<(), PromoRefusal> {
        if !self.active {
            return Err(PromoRefusal::Inactive);
        }
        if now_ms < self.starts_at_ms {
            return Err(PromoRefusal::NotStarted);
        }
        if self.ends_at_ms.is_some_and(|end| now_ms >= end) {
            return Err(PromoRefusal::Expired);
        }
        if subtotal.amount < self.min_subtotal.amount {
            return Err(PromoRefusal::BelowMinimum {
                minimum: self.min_subtotal,
            });
        }
        if self.usage_limit.is_some_and(|limit| uses.total >= limit) {
            return Err(PromoRefusal::UsageLimitReached);
        }
        if self
            .per_customer_limit
            .is_some_and(|limit| uses.by_customer >= limit)
        {
            return Err(PromoRefusal::AlreadyUsed);
        }
        Ok(())
    }
}

/// One line to price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteLine {
    /// Unit price × quantity, VAT included.
    pub line_total: Money,
    /// Its VAT class.
    pub tax_class: TaxClass,
}

/// What to price.
#[derive(Debug, Clone, Copy)]
pub struct QuoteInput<'a> {
    /// The lines.
    pub lines: &'a [QuoteLine],
    /// The chosen shipping method.
    pub shipping: ShippingMethodCode,
    /// Codes the shopper entered, with how often each was used.
    pub promotions: &'a [(Promotion, PromotionUses)],
    /// Destination country (ISO alpha-2): where the shipping method goes.
    pub country: &'a str,
    /// How the sale is taxed ([`crate::company::vat_treatment`]): whose VAT
    /// the prices contain, and, reverse charged, what is charged is the
    /// price before that VAT.
    pub vat: crate::company::VatTreatment<'a>,
    /// Now, unix ms (promotion windows).
    pub now_ms: i64,
}

/// The priced totals of a cart or an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    /// Σ line totals.
    pub subtotal: Money,
    /// Taken off the merchandise by promotions (≥ 0, ≤ subtotal).
    pub discount: Money,
    /// Shipping charged.
    pub shipping: Money,
    /// What is charged: subtotal − discount + shipping − reverse_charged.
    pub total: Money,
    /// VAT contained in `total`.
    pub vat: Money,
    /// The VAT the prices contain that a business buyer elsewhere in the EU
    /// accounts for itself (reverse charge): not charged (0 otherwise).
    #[serde(default = "no_euros")]
    pub reverse_charged: Money,
}

fn no_euros() -> Money {
    Money::eur(0)
}

impl Totals {
    /// The totals an order stored (in `currency`): what was not charged
    /// of the prices, VAT aside, is the reverse-charged VAT.
    pub fn stored(
        currency: crate::money::Currency,
        subtotal: i64,
        discount: i64,
        shipping: i64,
        total: i64,
        vat: i64,
    ) -> Self {
        let money = |amount| Money { amount, currency };
        Self {
            subtotal: money(subtotal),
            discount: money(discount),
            shipping: money(shipping),
            total: money(total),
            vat: money(vat),
            reverse_charged: money((subtotal - discount + shipping - total).max(0)),
        }
    }
}

/// Why a quote could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteError {
    /// A promotion code does not apply.
    Promotion(PromoCode, PromoRefusal),
    /// We do not ship there.
    Country,
    /// The shipping method does not deliver there.
    Method,
    /// Amounts beyond what money can hold.
    Overflow,
    /// Amounts no priced cart has: a negative line, discount or shipping,
    /// or a discount above the lines.
    Invalid,
}

/// Prices `input`: the one function both halves call.
pub fn quote(input: &QuoteInput<'_>) -> Result<Totals, QuoteError> {
    let currency = crate::money::Currency::Eur;
    let subtotal = input
        .lines
        .iter()
        .try_fold(0i64, |acc, l| acc.checked_add(l.line_total.amount))
        .ok_or(QuoteError::Overflow)?;
    // A country we do not ship to is the first refusal, before any code.
    vat_rate_bps(input.country, TaxClass::Standard).ok_or(QuoteError::Country)?;
    let mut discount = 0i64;
    let mut free_shipping = false;
    for (promo, uses) in input.promotions {
        promo
            .check(Money::eur(subtotal), input.now_ms, *uses)
            .map_err(|r| QuoteError::Promotion(promo.code.clone(), r))?;
    }
    if input.promotions.len() > 1
        && let Some((lone, _)) = input.promotions.iter().find(|(p, _)| !p.stackable)
    {
        return Err(QuoteError::Promotion(
            lone.code.clone(),
            PromoRefusal::NotStackable,
        ));
    }
    for (promo, _) in input.promotions {
        let remaining = subtotal - discount;
        match promo.kind {
            PromotionKind::Percentage { bps } => {
                let off = round_div(i128::from(subtotal) * i128::from(bps.min(10_000)), 10_000);
                discount += off.min(remaining);
            }
            PromotionKind::FixedAmount { amount } => discount += amount.amount.clamp(0, remaining),
            PromotionKind::FreeShipping => free_shipping = true,
        }
    }

    let method = input.shipping.to(input.country).ok_or(QuoteError::Method)?;
    let net = subtotal - discount;
    let shipping = if free_shipping
        || input.lines.is_empty()
        || method.free_from.is_some_and(|f| net >= f.amount)
    {
        0
    } else {
        method.price.amount
    };
    let gross = net.checked_add(shipping).ok_or(QuoteError::Overflow)?;

    let vat = vat_breakdown(input.lines, discount, shipping, input.vat.country)?
        .iter()
        .try_fold(0i64, |acc, v| acc.checked_add(v.vat.amount))
        .ok_or(QuoteError::Overflow)?;
    let (vat, reverse_charged) = if input.vat.reverse_charge {
        (0, vat)
    } else {
        (vat, 0)
    };
    let money = |amount| Money { amount, currency };
    Ok(Totals {
        subtotal: money(subtotal),
        discount: money(discount),
        shipping: money(shipping),
        total: money(gross - reverse_charged),
        vat: money(vat),
        reverse_charged: money(reverse_charged),
    })
}

/// The VAT of one rate in a priced cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    /// The rate, basis points (2000 = 20 %).
    pub rate_bps: i64,
    /// The lines at this rate before the discount, VAT included.
    pub goods: Money,
    /// Their share of the discount, VAT included.
    pub discount: Money,
    /// The share of shipping taxed at this rate, VAT included.
    pub shipping: Money,
    /// What the rate applies to (`goods − discount + shipping − vat`), VAT
    /// excluded.
    pub base: Money,
    /// The VAT: computed once for the rate, on what it applies to.
    pub vat: Money,
}

/// `amount` (≥ 0) shared among `weights` (≥ 0) in proportion: each share
/// rounded down, then the cents left over given one by one to the largest
/// remainders (the first such weight on a tie), so the shares add up to
/// `amount` exactly and none exceeds its weight when `amount` does not
/// exceed their sum. All zero when the weights are.
pub fn pro_rata(amount: i64, weights: &[i64]) -> Vec<i64> {
    let whole: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    if whole <= 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|&w| {
            let product = i128::from(amount) * i128::from(w);
            (product / whole, product % whole)
        })
        .collect();
    let mut shares: Vec<i128> = exact.iter().map(|&(share, _)| share).collect();
    let mut left = i128::from(amount) - shares.iter().sum::<i128>();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for i in by_remainder {
        if left <= 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    // Each share lies between 0 and `amount`: it fits.
    shares
        .into_iter()
        .map(|share| i64::try_from(share).unwrap_or(0))
        .collect()
}

/// The VAT of a priced cart per rate, highest rate first: each line net of
/// its share of the `discount`, then `shipping` taxed like the goods it
/// carries — shared among the rates in proportion to what each rate's
/// goods cost before VAT and before the discount (so a free order of books
/// ships at the books' rate), at the standard rate only when no line has a
/// price — and the VAT of each rate computed once on its sum, not added up
/// line by line. Every rate a line has is listed (at zero when all of it
/// is given away). The bases and VAT add up to what is charged; no base is
/// negative. `discount` must lie between 0 and the lines' sum, `shipping`
/// and every line be ≥ 0 (what [`quote`] gives), else
/// [`QuoteError::Invalid`].
pub fn vat_breakdown(
    lines: &[QuoteLine],
    discount: i64,
    shipping: i64,
    country: &str,
) -> Result<Vec<VatLine>, QuoteError> {
    let totals: Vec<i64> = lines.iter().map(|l| l.line_total.amount).collect();
    let subtotal = totals
        .iter()
        .try_fold(0i64, |acc, &t| acc.checked_add(t))
        .ok_or(QuoteError::Overflow)?;
    if totals.iter().any(|&t| t < 0) || discount < 0 || discount > subtotal || shipping < 0 {
        return Err(QuoteError::Invalid);
    }
    // Per rate: the goods, their share of the discount, and what they cost
    // before VAT and before the discount (what shipping is shared by).
    #[derive(Default)]
    struct Rate {
        goods: i64,
        discount: i64,
        weight: i64,
        shipping: i64,
    }
    let mut rates: BTreeMap<i64, Rate> = BTreeMap::new();
    for (line, share) in lines.iter().zip(pro_rata(discount, &totals)) {
        let rate_bps = vat_rate_bps(country, line.tax_class).ok_or(QuoteError::Country)?;
        let rate = rates.entry(rate_bps).or_default();
        let gross = line.line_total.amount;
        rate.goods = rate.goods.checked_add(gross).ok_or(QuoteError::Overflow)?;
        rate.discount += share;
        rate.weight = rate
            .weight
            .checked_add(gross - vat_included(gross, rate_bps))
            .ok_or(QuoteError::Overflow)?;
    }
    let weights: Vec<i64> = rates.values().map(|r| r.weight).collect();
    if weights.iter().all(|&w| w == 0) {
        if shipping > 0 {
            let standard = vat_rate_bps(country, TaxClass::Standard).ok_or(QuoteError::Country)?;
            rates.entry(standard).or_default().shipping = shipping;
        }
    } else {
        for (rate, share) in rates.values_mut().zip(pro_rata(shipping, &weights)) {
            rate.shipping = share;
        }
    }
    rates
        .into_iter()
        .rev()
        .map(|(rate_bps, r)| {
            let charged = (r.goods - r.discount)
                .checked_add(r.shipping)
                .ok_or(QuoteError::Overflow)?;
            let vat = vat_included(charged, rate_bps);
            Ok(VatLine {
                rate_bps,
                goods: Money::eur(r.goods),
                discount: Money::eur(r.discount),
                shipping: Money::eur(r.shipping),
                base: Money::eur(charged - vat),
                vat: Money::eur(vat),
            })
        })
        .collect()
}

/// VAT contained in a VAT-inclusive amount: `gross × rate / (1 + rate)`.
pub fn vat_included(gross: i64, rate_bps: i64) -> i64 {
    round_div(
        i128::from(gross) * i128::from(rate_bps),
        i128::from(10_000 + rate_bps),
    )
}

/// The one rounding rule: half away from zero.
pub fn round_div(numerator: i128, denominator: i128) -> i64 {
    let q = numerator / denominator;
    let r = numerator % denominator;
    let q = if 2 * r.abs() >= denominator.abs() {
        q + numerator.signum() * denominator.signum()
    } else {
        q
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_is_promised_after_a_working_day_and_the_slowest_transit() {
        use crate::calendar::{DAY_MS, days_from_civil, iso_datetime};
        // Monday 7 December 2026, 10:00 in Paris (09:00 UTC).
        let monday = days_from_civil(2026, 12, 7) * DAY_MS + 9 * 3_600_000;
        let colissimo = SHIPPING_METHODS[0];
        assert_eq!(colissimo.max_days, 3);
        // Tuesday prepared; Wednesday, Thursday, Friday in transit: by the
        // end of Friday in Paris (23:00 UTC).
        assert_eq!(
            iso_datetime(colissimo.promised_by_ms(monday)),
            "2026-12-11T23:00:00Z"
        );
        // Ordered on a Friday: Monday prepared, Thursday at the latest.
        let friday = monday + 4 * DAY_MS;
        assert_eq!(
            iso_datetime(colissimo.promised_by_ms(friday)),
            "2026-12-17T23:00:00Z"
        );
        // Express on a Saturday: Monday prepared, Tuesday delivered.
        let express = SHIPPING_METHODS[2];
        assert_eq!(
            iso_datetime(express.promised_by_ms(monday + 5 * DAY_MS)),
            "2026-12-15T23:00:00Z"
        );
        // In summer time the day ends at 22:00 UTC.
        let july = days_from_civil(2026, 7, 6) * DAY_MS + 9 * 3_600_000;
        assert_eq!(
            iso_datetime(colissimo.promised_by_ms(july)),
            "2026-07-10T22:00:00Z"
        );
    }
    use proptest::prelude::*;

    fn line(cents: i64) -> QuoteLine {
        QuoteLine {
            line_total: Money::eur(cents),
            tax_class: TaxClass::Standard,
        }
    }

    fn promo(code: &str, kind: PromotionKind) -> Promotion {
        Promotion {
            code: PromoCode::parse(code).unwrap(),
            kind,
            min_subtotal: Money::eur(0),
            starts_at_ms: 1_000,
            ends_at_ms: Some(2_000),
            usage_limit: None,
            per_customer_limit: None,
            stackable: false,
            active: true,
        }
    }

    fn quote_with(
        lines: &[QuoteLine],
        promotions: &[(Promotion, PromotionUses)],
        now_ms: i64,
    ) -> Result<Totals, QuoteError> {
        quote(&QuoteInput {
            lines,
            shipping: ShippingMethodCode::Colissimo,
            promotions,
            country: "FR",
            vat: crate::company::VatTreatment::FRANCE,
            now_ms,
        })
    }

    #[test]
    fn elsewhere_in_the_eu_the_destination_sets_shipping_and_vat() {
        let to = |country, shipping, reverse_charge| {
            quote(&QuoteInput {
                lines: &[line(12_000)],
                shipping,
                promotions: &[],
                country,
                vat: crate::company::VatTreatment {
                    country,
                    reverse_charge,
                },
                now_ms: 0,
            })
        };
        // Germany: Colissimo Europe, free from 120 €; 19 % VAT in the price.
        let de = to("DE", ShippingMethodCode::Colissimo, false).unwrap();
        assert_eq!((de.shipping, de.total), (Money::eur(0), Money::eur(12_000)));
        assert_eq!(de.vat, Money::eur(1_916));
        assert_eq!(
            to("DE", ShippingMethodCode::Relay, false).unwrap().total,
            Money::eur(12_000)
        );
        assert_eq!(
            to("BE", ShippingMethodCode::Express, false),
            Err(QuoteError::Method)
        );
        assert_eq!(
            to("US", ShippingMethodCode::Colissimo, false),
            Err(QuoteError::Country)
        );
        // A Belgian business: the price before Belgian VAT (21 %), no VAT.
        let be = to("BE", ShippingMethodCode::Colissimo, true).unwrap();
        assert_eq!(be.vat, Money::eur(0));
        assert_eq!(be.reverse_charged, Money::eur(2_083));
        assert_eq!(be.total, Money::eur(12_000 - 2_083));
        assert_eq!(
            Totals::stored(crate::money::Currency::Eur, 12_000, 0, 0, 9_917, 0),
            be,
            "an order's stored figures give the same totals back"
        );
        assert_eq!(shipping_methods("FR").len(), 3);
        assert_eq!(shipping_methods("XX").len(), 0);
    }

    #[test]
    fn shipping_is_free_from_the_threshold_after_discounts() {
        assert_eq!(
            quote_with(&[line(5999)], &[], 0).unwrap().shipping,
            Money::eur(490)
        );
        assert_eq!(
            quote_with(&[line(6000)], &[], 0).unwrap().shipping,
            Money::eur(0)
        );
        assert_eq!(quote_with(&[], &[], 0).unwrap().total, Money::eur(0));
        let ten = promo("DIX", PromotionKind::Percentage { bps: 1000 });
        let t = quote_with(&[line(6000)], &[(ten, PromotionUses::default())], 1_500).unwrap();
        assert_eq!(
            (t.discount, t.shipping, t.total),
            (Money::eur(600), Money::eur(490), Money::eur(5890))
        );
    }

    #[test]
    fn vat_follows_the_tax_class_and_the_destination() {
        let book = QuoteLine {
            line_total: Money::eur(10_550),
            tax_class: TaxClass::Reduced,
        };
        assert_eq!(quote_with(&[book], &[], 0).unwrap().vat, Money::eur(550));
        assert_eq!(vat_included(12_000, 2000), 2000);
        assert_eq!(vat_rate_bps("US", TaxClass::Standard), None);
    }

    #[test]
    fn shipping_is_taxed_like_the_goods_it_carries_and_vat_is_computed_once_per_rate() {
        // A book (5.5 %: 10.00 € before VAT) and a shirt (20 %: 25.00 €),
        // 4.90 € shipping shared by those values: 1.40 € with the book,
        // 3.50 € with the shirt. VAT per rate on each sum: 11.95 × 5.5/105.5
        // = 0.623 → 0.62; 33.50 × 20/120 = 5.583 → 5.58.
        let lines = [
            QuoteLine {
                line_total: Money::eur(1_055),
                tax_class: TaxClass::Reduced,
            },
            line(3_000),
        ];
        let t = quote_with(&lines, &[], 0).unwrap();
        assert_eq!((t.shipping, t.total), (Money::eur(490), Money::eur(4_545)));
        assert_eq!(
            vat_breakdown(&lines, 0, 490, "FR").unwrap(),
            [
                VatLine {
                    rate_bps: 2000,
                    goods: Money::eur(3_000),
                    discount: Money::eur(0),
                    shipping: Money::eur(350),
                    base: Money::eur(2_792),
                    vat: Money::eur(558),
                },
                VatLine {
                    rate_bps: 550,
                    goods: Money::eur(1_055),
                    discount: Money::eur(0),
                    shipping: Money::eur(140),
                    base: Money::eur(1_133),
                    vat: Money::eur(62),
                },
            ]
        );
        assert_eq!(t.vat, Money::eur(620));
        // Everything given away: the shipping still follows the goods.
        let free = promo("OFFERT", PromotionKind::Percentage { bps: 10_000 });
        let t = quote_with(&lines, &[(free, PromotionUses::default())], 1_500).unwrap();
        assert_eq!((t.total, t.vat), (Money::eur(490), Money::eur(65)));
        assert_eq!(
            vat_breakdown(&lines, 4_055, 490, "FR").unwrap(),
            [
                VatLine {
                    rate_bps: 2000,
                    goods: Money::eur(3_000),
                    discount: Money::eur(3_000),
                    shipping: Money::eur(350),
                    base: Money::eur(292),
                    vat: Money::eur(58),
                },
                VatLine {
                    rate_bps: 550,
                    goods: Money::eur(1_055),
                    discount: Money::eur(1_055),
                    shipping: Money::eur(140),
                    base: Money::eur(133),
                    vat: Money::eur(7),
                },
            ]
        );
        // A discount that leaves a cent here and there: no share above its
        // line, no negative base.
        let mut five = vec![line(1_000); 4];
        five.push(QuoteLine {
            line_total: Money::eur(1_000),
            tax_class: TaxClass::Reduced,
        });
        let split = vat_breakdown(&five, 4_997, 490, "FR").unwrap();
        assert!(
            split
                .iter()
                .all(|v| v.base.amount >= 0 && v.vat.amount >= 0)
        );
        assert_eq!(
            split
                .iter()
                .map(|v| v.base.amount + v.vat.amount)
                .sum::<i64>(),
            5_000 - 4_997 + 490
        );
        // What no priced cart holds is refused, not computed.
        assert_eq!(
            vat_breakdown(&five, 5_001, 0, "FR"),
            Err(QuoteError::Invalid)
        );
        assert_eq!(vat_breakdown(&five, 0, -1, "FR"), Err(QuoteError::Invalid));
        assert_eq!(vat_breakdown(&five, 0, 0, "US"), Err(QuoteError::Country));
    }

    #[test]
    fn pro_rata_shares_add_up_and_never_exceed_their_weight() {
        assert_eq!(pro_rata(10, &[1, 1, 1]), [4, 3, 3]);
        assert_eq!(pro_rata(4_997, &[1_000; 5]), [1_000, 1_000, 999, 999, 999]);
        assert_eq!(pro_rata(490, &[0, 0]), [0, 0]);
        assert_eq!(pro_rata(7, &[0, 5]), [0, 7]);
    }

    #[test]
    fn promotions_refuse_with_a_reason() {
        let mut p = promo("ETE", PromotionKind::FreeShipping);
        let uses = PromotionUses::default();
        assert_eq!(
            p.check(Money::eur(100), 999, uses),
            Err(PromoRefusal::NotStarted)
        );
        assert_eq!(
            p.check(Money::eur(100), 2_000, uses),
            Err(PromoRefusal::Expired)
        );
        p.min_subtotal = Money::eur(5000);
        assert_eq!(
            p.check(Money::eur(100), 1_500, uses),
            Err(PromoRefusal::BelowMinimum {
                minimum: Money::eur(5000)
            })
        );
        p.min_subtotal = Money::eur(0);
        p.usage_limit = Some(3);
        assert_eq!(
            p.check(
                Money::eur(100),
                1_500,
                PromotionUses {
                    total: 3,
                    by_customer: 0
                }
            ),
            Err(PromoRefusal::UsageLimitReached)
        );
        p.per_customer_limit = Some(1);
        assert_eq!(
            p.check(
                Money::eur(100),
                1_500,
                PromotionUses {
                    total: 0,
                    by_customer: 1
                }
            ),
            Err(PromoRefusal::AlreadyUsed)
        );
        let a = promo("AAA", PromotionKind::FreeShipping);
        let b = promo("BBB", PromotionKind::FreeShipping);
        assert!(matches!(
            quote_with(&[line(100)], &[(a, uses), (b, uses)], 1_500),
            Err(QuoteError::Promotion(_, PromoRefusal::NotStackable))
        ));
    }

    #[test]
    fn promotion_terms_are_validated_field_by_field() {
        let field = |p: &Promotion| p.validate(1_500).map_err(|(f, _)| f);
        let ok = promo("OK10", PromotionKind::Percentage { bps: 1000 });
        assert_eq!(field(&ok), Ok(()));
        let cases: [(Promotion, &str); 10] = [
            (
                promo("PZERO", PromotionKind::Percentage { bps: 0 }),
                "kind.bps",
            ),
            (
                promo("PBIG", PromotionKind::Percentage { bps: 10_001 }),
                "kind.bps",
            ),
            (
                promo(
                    "FZERO",
                    PromotionKind::FixedAmount {
                        amount: Money::eur(0),
                    },
                ),
                "kind.amount",
            ),
            (
                Promotion {
                    ends_at_ms: Some(ok.starts_at_ms),
                    ..ok.clone()
                },
                "ends_at_ms",
            ),
            (
                Promotion {
                    usage_limit: Some(0),
                    ..ok.clone()
                },
                "usage_limit",
            ),
            (
                Promotion {
                    min_subtotal: Money::eur(-1),
                    ..ok.clone()
                },
                "min_subtotal",
            ),
            (
                Promotion {
                    min_subtotal: Money::eur(PROMOTION_MAX_CENTS + 1),
                    ..ok.clone()
                },
                "min_subtotal",
            ),
            (
                promo(
                    "FHUGE",
                    PromotionKind::FixedAmount {
                        amount: Money::eur(PROMOTION_MAX_CENTS + 1),
                    },
                ),
                "kind.amount",
            ),
            (
                Promotion {
                    starts_at_ms: i64::MIN,
                    ..ok.clone()
                },
                "starts_at_ms",
            ),
            (
                Promotion {
                    ends_at_ms: Some(i64::MAX),
                    ..ok.clone()
                },
                "ends_at_ms",
            ),
        ];
        for (p, expected) in cases {
            assert_eq!(field(&p), Err(expected), "{p:?}");
        }
    }

    #[test]
    fn promotion_kinds_read_back_and_refuse_what_they_do_not_have() {
        for kind in [
            PromotionKind::Percentage { bps: 1000 },
            PromotionKind::FixedAmount {
                amount: Money::eur(500),
            },
            PromotionKind::FreeShipping,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<PromotionKind>(&json).unwrap(), kind);
        }
        for bad in [
            r#"{"type":"free_shipping","evil":true}"#,
            r#"{"type":"free_shipping","bps":100}"#,
            r#"{"type":"percentage"}"#,
            r#"{"type":"fixed_amount","amount":{"amount":1,"currency":"EUR","x":1}}"#,
            r#"{"type":"gift"}"#,
        ] {
            assert!(serde_json::from_str::<PromotionKind>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(-5, 2), -3);
        assert_eq!(vat_included(100, 2000), 17);
    }

    fn any_kind() -> impl Strategy<Value = PromotionKind> {
        prop_oneof![
            (1u32..=10_000).prop_map(|bps| PromotionKind::Percentage { bps }),
            (0i64..200_000).prop_map(|a| PromotionKind::FixedAmount {
                amount: Money::eur(a)
            }),
            Just(PromotionKind::FreeShipping),
        ]
    }

    proptest! {
        #[test]
        fn totals_add_up_and_are_never_negative(
            lines in proptest::collection::vec((0i64..1_000_000, 0usize..4), 0..20),
            kinds in proptest::collection::vec(any_kind(), 0..3),
            method in 0usize..3,
        ) {
            let classes = [TaxClass::Standard, TaxClass::Intermediate, TaxClass::Reduced, TaxClass::SuperReduced];
            let lines: Vec<QuoteLine> = lines.iter().map(|&(c, k)| QuoteLine { line_total: Money::eur(c), tax_class: classes[k] }).collect();
            let promotions: Vec<(Promotion, PromotionUses)> = kinds.into_iter().enumerate().map(|(i, kind)| {
                let mut p = promo(&format!("PROMO{i}"), kind);
                p.stackable = true;
                (p, PromotionUses::default())
            }).collect();
            let t = quote(&QuoteInput { lines: &lines, shipping: SHIPPING_METHODS[method].code, promotions: &promotions, country: "FR", vat: crate::company::VatTreatment::FRANCE, now_ms: 1_500 }).unwrap();
            let sum: i64 = lines.iter().map(|l| l.line_total.amount).sum();
            prop_assert_eq!(t.subtotal.amount, sum);
            prop_assert_eq!(t.total.amount, t.subtotal.amount - t.discount.amount + t.shipping.amount);
            prop_assert!(t.discount.amount >= 0 && t.discount.amount <= t.subtotal.amount);
            prop_assert!(t.total.amount >= 0 && t.vat.amount >= 0 && t.vat.amount <= t.total.amount);
            // Per rate: what is charged, split once, no base negative.
            let split = vat_breakdown(&lines, t.discount.amount, t.shipping.amount, "FR").unwrap();
            let charged: i64 = split.iter().map(|v| v.base.amount + v.vat.amount).sum();
            prop_assert_eq!(charged, t.total.amount);
            prop_assert_eq!(split.iter().map(|v| v.vat.amount).sum::<i64>(), t.vat.amount);
            for v in &split {
                prop_assert_eq!(v.vat.amount, vat_included(v.base.amount + v.vat.amount, v.rate_bps));
                prop_assert!(v.base.amount >= 0 && v.vat.amount >= 0);
                prop_assert_eq!(v.goods.amount - v.discount.amount + v.shipping.amount, v.base.amount + v.vat.amount);
                prop_assert!(v.discount.amount <= v.goods.amount);
            }
            prop_assert_eq!(split.iter().map(|v| v.discount.amount).sum::<i64>(), t.discount.amount);
            prop_assert_eq!(split.iter().map(|v| v.shipping.amount).sum::<i64>(), t.shipping.amount);
            prop_assert!(split.windows(2).all(|w| w[0].rate_bps > w[1].rate_bps));
        }

        #[test]
        fn a_promotion_never_applies_outside_its_window(now in -10_000i64..10_000, start in 0i64..5_000, len in 1i64..5_000) {
            let mut p = promo("WIN", PromotionKind::Percentage { bps: 5000 });
            p.starts_at_ms = start;
            p.ends_at_ms = Some(start + len);
            let inside = now >= start && now < start + len;
            prop_assert_eq!(p.check(Money::eur(1000), now, PromotionUses::default()).is_ok(), inside);
            let t = quote_with(&[line(1000)], &[(p, PromotionUses::default())], now);
            prop_assert_eq!(t.is_ok(), inside);
        }
    }
}
