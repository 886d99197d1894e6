//! KPI SQL: one small aggregate per figure, over `[from, to)` in unix ms.
//! The arithmetic on top (ratios, percentiles, NPS, costs) is pure and lives
//! in [`comptoir_shared::kpi`].
//!
//! Only what was sold counts: `orders.paid_at` is set by the one payment an
//! order keeps, never by a payment that came after cancellation or a second
//! one; and refunds that give back such a payment (`capture_reference` set)
//! are billing matters, not refunded revenue. Those payments show as billing
//! errors.

use comptoir_shared::Money;
use comptoir_shared::feedback::{FeedbackComment, Score};
use comptoir_shared::ids::OrderId;
use comptoir_shared::kpi::CostSettings;
use comptoir_shared::retention::{Purchase, customer_key};

use crate::params;
use crate::port::Executor;

/// Movements that change what is on the shelf (reservations do not).
const ON_HAND_KINDS: &str = "('receipt', 'adjustment', 'sale', 'return')";

/// The cost inputs (defaults until an admin sets them).
pub async fn costs(db: &mut dyn Executor) -> anyhow::Result<CostSettings> {
    let Some(r) = db
        .optional(
            "SELECT fixed_monthly_cents, per_order_cents, payment_fee_bps, per_shipment_cents, shipping_sla_hours \
             FROM cost_settings WHERE id = 1",
            &[],
        )
        .await?
    else {
        return Ok(CostSettings::default());
    };
    Ok(CostSettings {
        fixed_monthly: Money::eur(r.int(0)?),
        per_order_handling: Money::eur(r.int(1)?),
        payment_fee_bps: u32::try_from(r.int(2)?)?,
        per_shipment_carrier: Money::eur(r.int(3)?),
        shipping_sla_hours: u32::try_from(r.int(4)?)?,
    })
}

/// Stores the cost inputs.
pub async fn save_costs(
    tx: &mut dyn Executor,
    costs: &CostSettings,
    now_ms: i64,
) -> anyhow::Result<()> {
    tx.query(
        "UPDATE cost_settings SET fixed_monthly_cents = ?1, per_order_cents = ?2, payment_fee_bps = ?3, \
             per_shipment_cents = ?4, shipping_sla_hours = ?5, updated_at_ms = ?6 WHERE id = 1",
        params![
            costs.fixed_monthly.amount,
            costs.per_order_handling.amount,
            costs.payment_fee_bps,
            costs.per_shipment_carrier.amount,
            costs.shipping_sla_hours,
            now_ms
        ],
    )
    .await?;
    Ok(())
}

/// Orders created in the period, and how many of those got paid.
pub async fn checkouts(db: &mut dyn Executor, from: i64, to: i64) -> anyhow::Result<(i64, i64)> {
    let r = db
        .one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN paid_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM orders WHERE created_at >= ?1 AND created_at < ?2",
            params![from, to],
        )
        .await?;
    Ok((r.int(0)?, r.int(1)?))
}

/// Orders paid in the period: per UTC day number, count and Σ totals.
pub async fn paid_per_day(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<(i64, i64, i64)>> {
    db.query(
        "SELECT paid_at / 86400000, COUNT(*), SUM(total_cents) FROM orders \
         WHERE paid_at >= ?1 AND paid_at < ?2 GROUP BY paid_at / 86400000 ORDER BY 1",
        params![from, to],
    )
    .await?
    .iter()
    .map(|r| Ok((r.int(0)?, r.int(1)?, r.int(2)?)))
    .collect()
}

/// Σ refunds of sales that succeeded in the period.
pub async fn refunded(db: &mut dyn Executor, from: i64, to: i64) -> anyhow::Result<i64> {
    db.one(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds \
         WHERE status = 'succeeded' AND capture_reference IS NULL AND settled_at >= ?1 AND settled_at < ?2",
        params![from, to],
    )
    .await?
    .int(0)
}

/// Payment-to-shipping times of orders shipped in the period.
pub async fn shipping_times(db: &mut dyn Executor, from: i64, to: i64) -> anyhow::Result<Vec<i64>> {
    db.query(
        "SELECT shipped_at - paid_at FROM orders \
         WHERE shipped_at >= ?1 AND shipped_at < ?2 AND paid_at IS NOT NULL",
        params![from, to],
    )
    .await?
    .iter()
    .map(|r| r.int(0))
    .collect()
}

/// Units sold in the period (sales leave the shelf as negative rows).
pub async fn units_sold(db: &mut dyn Executor, from: i64, to: i64) -> anyhow::Result<i64> {
    db.one(
        "SELECT COALESCE(-SUM(quantity), 0) FROM stock_movements WHERE kind = 'sale' AND at >= ?1 AND at < ?2",
        params![from, to],
    )
    .await?
    .int(0)
}

/// Units on every shelf at instant `at`: today's, less what moved since.
pub async fn on_hand_at(db: &mut dyn Executor, at: i64) -> anyhow::Result<i64> {
    db.one(
        &format!(
            "SELECT (SELECT COALESCE(SUM(on_hand), 0) FROM stock) \
                  - (SELECT COALESCE(SUM(quantity), 0) FROM stock_movements WHERE at >= ?1 AND kind IN {ON_HAND_KINDS})"
        ),
        params![at],
    )
    .await?
    .int(0)
}

/// SKUs with nothing available right now.
pub async fn stockouts_now(db: &mut dyn Executor) -> anyhow::Result<i64> {
    db.one(
        "SELECT COUNT(*) FROM stock WHERE on_hand - reserved <= 0",
        &[],
    )
    .await?
    .int(0)
}

/// Sales in the period after which their SKU's shelf held nothing: today's
/// on hand less every later on-hand movement is zero.
pub async fn emptying_sales(db: &mut dyn Executor, from: i64, to: i64) -> anyhow::Result<i64> {
    db.one(
        &format!(
            "SELECT COUNT(*) FROM stock_movements m JOIN stock s ON s.sku = m.sku \
             WHERE m.kind = 'sale' AND m.at >= ?1 AND m.at < ?2 \
               AND s.on_hand - COALESCE((SELECT SUM(l.quantity) FROM stock_movements l \
                    WHERE l.sku = m.sku AND l.kind IN {ON_HAND_KINDS} \
                      AND (l.at > m.at OR (l.at = m.at AND l.id > m.id))), 0) = 0"
        ),
        params![from, to],
    )
    .await?
    .int(0)
}

/// Payment mismatches recorded, and refunds that failed, in the period.
pub async fn billing(db: &mut dyn Executor, from: i64, to: i64) -> anyhow::Result<(i64, i64)> {
    let r = db
        .one(
            "SELECT (SELECT COUNT(*) FROM billing_errors WHERE kind <> 'refund_failed' AND at >= ?1 AND at < ?2), \
                    (SELECT COUNT(*) FROM refunds WHERE status = 'failed' AND settled_at >= ?1 AND settled_at < ?2)",
            params![from, to],
        )
        .await?;
    Ok((r.int(0)?, r.int(1)?))
}

/// Orders paid in the period that have a refund which succeeded.
pub async fn paid_orders_refunded(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<i64> {
    db.one(
        "SELECT COUNT(*) FROM orders o WHERE o.paid_at >= ?1 AND o.paid_at < ?2 \
           AND EXISTS (SELECT 1 FROM refunds f WHERE f.order_id = o.id AND f.status = 'succeeded' \
                       AND f.capture_reference IS NULL)",
        params![from, to],
    )
    .await?
    .int(0)
}

/// Request-to-money-back times of refunds of sales that succeeded in the
/// period (giving back a payment the order did not keep is automatic).
pub async fn refund_turnarounds(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<i64>> {
    db.query(
        "SELECT settled_at - created_at FROM refunds \
         WHERE status = 'succeeded' AND capture_reference IS NULL AND settled_at >= ?1 AND settled_at < ?2",
        params![from, to],
    )
    .await?
    .iter()
    .map(|r| r.int(0))
    .collect()
}

/// `(csat, nps)` of surveys answered in the period.
pub async fn survey_scores(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<(u8, u8)>> {
    db.query(
        "SELECT csat, nps FROM surveys WHERE at >= ?1 AND at < ?2",
        params![from, to],
    )
    .await?
    .iter()
    .map(|r| Ok((u8::try_from(r.int(0)?)?, u8::try_from(r.int(1)?)?)))
    .collect()
}

/// E-mails that paid in the period, and how many of them have at least two
/// paid orders by the period's end.
pub async fn repeat_customers(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<(i64, i64)> {
    let r = db
        .one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN paid >= 2 THEN 1 ELSE 0 END), 0) FROM ( \
                 SELECT o.email, (SELECT COUNT(*) FROM orders e WHERE e.email = o.email \
                                  AND e.paid_at IS NOT NULL AND e.paid_at < ?2) AS paid \
                 FROM orders o WHERE o.paid_at >= ?1 AND o.paid_at < ?2 GROUP BY o.email) payers",
            params![from, to],
        )
        .await?;
    Ok((r.int(0)?, r.int(1)?))
}

/// Every paid order before `until` as a retention [`Purchase`]: who (the
/// account, else the e-mail), when paid, what was paid. Refunds are not
/// subtracted: a refunded purchase still was a purchase.
pub async fn purchases(db: &mut dyn Executor, until: i64) -> anyhow::Result<Vec<Purchase>> {
    db.query(
        "SELECT customer_id, email, paid_at, total_cents FROM orders \
         WHERE paid_at IS NOT NULL AND paid_at < ?1",
        params![until],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Purchase {
            customer: customer_key(r.opt_text(0)?, r.text(1)?),
            paid_at_ms: r.int(2)?,
            amount_cents: r.int(3)?,
        })
    })
    .collect()
}

/// When and how surveys were answered in the period.
pub async fn survey_answers(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<Score>> {
    db.query(
        "SELECT at, csat, nps FROM surveys WHERE at >= ?1 AND at < ?2",
        params![from, to],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Score {
            at_ms: r.int(0)?,
            csat: u8::try_from(r.int(1)?)?,
            nps: u8::try_from(r.int(2)?)?,
        })
    })
    .collect()
}

/// The latest answers with a comment in the period, newest first.
pub async fn survey_comments(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
    limit: u32,
) -> anyhow::Result<Vec<FeedbackComment>> {
    db.query(
        "SELECT order_id, csat, nps, comment, at FROM surveys \
         WHERE at >= ?1 AND at < ?2 AND comment <> '' ORDER BY at DESC, order_id LIMIT ?3",
        params![from, to, limit],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(FeedbackComment {
            order_id: r.parse(0, OrderId::parse)?,
            csat: u8::try_from(r.int(1)?)?,
            nps: u8::try_from(r.int(2)?)?,
            comment: r.text(3)?.to_owned(),
            at_ms: r.int(4)?,
        })
    })
    .collect()
}
