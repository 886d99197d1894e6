//! Promotion codes: loading their terms and uses, and pricing a set of lines
//! with the codes that apply — through [`comptoir_shared::pricing::quote`],
//! the same function the storefront displays with.

use comptoir_shared::Money;
use comptoir_shared::ids::{Email, PromoCode};
use comptoir_shared::pricing::{
    self, PromoRefusal, Promotion, PromotionKind, PromotionUses, QuoteError, QuoteInput, QuoteLine,
    ShippingMethodCode, Totals,
};

use comptoir_shared::company::{Company, VatTreatment, vat_treatment};

use crate::config::Config;
use crate::params;
use crate::port::{Executor, Row};

/// A code and why it does not apply.
pub type Refused = (PromoCode, PromoRefusal);

/// Lines priced with the codes that apply.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The totals.
    pub totals: Totals,
    /// Codes applied, in the order given.
    pub applied: Vec<PromoCode>,
    /// Codes that do not apply, with the reason.
    pub refused: Vec<Refused>,
}

fn promotion(r: &Row) -> anyhow::Result<Promotion> {
    let value = r.int(2)?;
    let kind = match r.text(1)? {
        "percentage" => PromotionKind::Percentage {
            bps: u32::try_from(value)?,
        },
        "fixed_amount" => PromotionKind::FixedAmount {
            amount: Money::eur(value),
        },
        "free_shipping" => PromotionKind::FreeShipping,
        other => anyhow::bail!("stored promotion kind {other:?}"),
    };
    let limit = |i| -> anyhow::Result<Option<u32>> {
        r.opt_int(i)?
            .map(u32::try_from)
            .transpose()
            .map_err(Into::into)
    };
    Ok(Promotion {
        code: r.parse(0, PromoCode::parse)?,
        kind,
        min_subtotal: Money::eur(r.int(3)?),
        starts_at_ms: r.int(4)?,
        ends_at_ms: r.opt_int(5)?,
        usage_limit: limit(6)?,
        per_customer_limit: limit(7)?,
        stackable: r.int(8)? != 0,
        active: r.int(9)? != 0,
    })
}

const TERMS: &str = "SELECT code, kind, value, min_subtotal_cents, starts_at, ends_at, usage_limit, per_customer_limit, stackable, active FROM promotions";

/// How a kind is stored: its name and value column.
fn stored_kind(kind: PromotionKind) -> (&'static str, i64) {
    match kind {
        PromotionKind::Percentage { bps } => ("percentage", i64::from(bps)),
        PromotionKind::FixedAmount { amount } => ("fixed_amount", amount.amount),
        PromotionKind::FreeShipping => ("free_shipping", 0),
    }
}

/// Every code with how often it was used (orders not cancelled), by code.
pub async fn list(db: &mut dyn Executor) -> anyhow::Result<Vec<(Promotion, u32)>> {
    let rows = db.query(&format!("{TERMS} ORDER BY code"), &[]).await?;
    let mut listed = Vec::with_capacity(rows.len());
    for row in &rows {
        let promotion = promotion(row)?;
        let used = uses(db, &promotion.code, None).await?.total;
        listed.push((promotion, used));
    }
    Ok(listed)
}

/// Stores new terms; `false` when the code exists already.
pub async fn insert(tx: &mut dyn Executor, p: &Promotion, now_ms: i64) -> anyhow::Result<bool> {
    let (kind, value) = stored_kind(p.kind);
    Ok(tx
        .optional(
            "INSERT INTO promotions (code, kind, value, min_subtotal_cents, starts_at, ends_at, usage_limit, \
                 per_customer_limit, stackable, active, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (code) DO NOTHING RETURNING code",
            params![
                p.code.as_str(),
                kind,
                value,
                p.min_subtotal.amount,
                p.starts_at_ms,
                p.ends_at_ms,
                p.usage_limit,
                p.per_customer_limit,
                p.stackable,
                p.active,
                now_ms
            ],
        )
        .await?
        .is_some())
}

/// Replaces a code's terms; `false` when there is no such code.
pub async fn update(tx: &mut dyn Executor, p: &Promotion) -> anyhow::Result<bool> {
    let (kind, value) = stored_kind(p.kind);
    Ok(tx
        .optional(
            "UPDATE promotions SET kind = ?2, value = ?3, min_subtotal_cents = ?4, starts_at = ?5, ends_at = ?6, \
                 usage_limit = ?7, per_customer_limit = ?8, stackable = ?9, active = ?10 \
             WHERE code = ?1 RETURNING code",
            params![
                p.code.as_str(),
                kind,
                value,
                p.min_subtotal.amount,
                p.starts_at_ms,
                p.ends_at_ms,
                p.usage_limit,
                p.per_customer_limit,
                p.stackable,
                p.active
            ],
        )
        .await?
        .is_some())
}

/// A code's terms and how often it was used (by `email` too, when known);
/// `None` when no such code exists.
pub async fn find(
    db: &mut dyn Executor,
    code: &PromoCode,
    email: Option<&Email>,
) -> anyhow::Result<Option<(Promotion, PromotionUses)>> {
    let Some(row) = db
        .optional(&format!("{TERMS} WHERE code = ?1"), params![code.as_str()])
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((promotion(&row)?, uses(db, code, email).await?)))
}

/// How often a code was used by orders not cancelled (and by `email`).
async fn uses(
    db: &mut dyn Executor,
    code: &PromoCode,
    email: Option<&Email>,
) -> anyhow::Result<PromotionUses> {
    let uses = db
        .one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.email = ?2 THEN 1 ELSE 0 END), 0) \
             FROM order_promotions p JOIN orders o ON o.id = p.order_id \
             WHERE p.code = ?1 AND o.status <> 'cancelled'",
            params![code.as_str(), email.map(Email::as_str)],
        )
        .await?;
    Ok(PromotionUses {
        total: u32::try_from(uses.int(0)?)?,
        by_customer: u32::try_from(uses.int(1)?)?,
    })
}

/// Where the goods go, as pricing needs it: the country, and how the sale
/// is taxed there.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
    /// ISO alpha-2, one the shop delivers to.
    pub country: &'a str,
    /// See [`comptoir_shared::company::vat_treatment`].
    pub vat: VatTreatment<'a>,
}

impl<'a> Destination<'a> {
    /// A consumer in France.
    pub const FRANCE: Destination<'static> = Destination {
        country: "FR",
        vat: VatTreatment::FRANCE,
    };

    /// Goods delivered to `country` for `company` (none: a consumer): the
    /// one rule the cart's review, checkout and the invoice share.
    pub fn of(country: &'a str, company: Option<&Company>, config: &Config) -> Self {
        Self {
            country,
            vat: vat_treatment(
                country,
                company,
                config.seller.vat_franchise,
                config.intra_eu_exemption,
            ),
        }
    }
}

/// Prices `lines` delivered `to` with every code in `codes` that applies,
/// taken greedily in order: a code joins if the quote still succeeds with
/// it. The shipping method must deliver there (checked before).
pub async fn quote(
    db: &mut dyn Executor,
    lines: &[QuoteLine],
    codes: &[PromoCode],
    shipping: ShippingMethodCode,
    to: Destination<'_>,
    email: Option<&Email>,
    now_ms: i64,
) -> anyhow::Result<Quote> {
    let mut applied: Vec<(Promotion, PromotionUses)> = Vec::new();
    let mut refused = Vec::new();
    for code in codes {
        let Some(found) = find(db, code, email).await? else {
            refused.push((code.clone(), PromoRefusal::Unknown));
            continue;
        };
        applied.push(found);
        let attempt = pricing::quote(&QuoteInput {
            lines,
            shipping,
            promotions: &applied,
            country: to.country,
            vat: to.vat,
            now_ms,
        });
        if let Err(QuoteError::Promotion(_, refusal)) = attempt {
            applied.pop();
            refused.push((code.clone(), refusal));
        }
    }
    let totals = pricing::quote(&QuoteInput {
        lines,
        shipping,
        promotions: &applied,
        country: to.country,
        vat: to.vat,
        now_ms,
    })
    .map_err(|e| anyhow::anyhow!("pricing failed: {e:?}"))?;
    Ok(Quote {
        totals,
        applied: applied.into_iter().map(|(p, _)| p.code).collect(),
        refused,
    })
}
