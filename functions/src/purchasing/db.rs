//! Purchasing SQL: suppliers, supply, purchase orders with their lines.

use anyhow::Context as _;
use comptoir_shared::Money;
use comptoir_shared::catalog::variant_description;
use comptoir_shared::ids::{Email, OpaqueId, Sku};
use comptoir_shared::purchasing::{PoLine, PoStatus, PurchaseOrder, Supplier, Supply};

use crate::params;
use crate::port::{Executor, Row};

/// A supplier's columns, from `su` (`su.id, su.name, su.email, su.lead_time_days`).
pub const SUPPLIER: &str = "su.id, su.name, su.email, su.lead_time_days";

/// Reads [`SUPPLIER`]'s four columns from `at`.
pub fn supplier(r: &Row, at: usize) -> anyhow::Result<Supplier> {
    Ok(Supplier {
        id: r.parse(at, OpaqueId::parse)?,
        name: r.text(at + 1)?.to_owned(),
        email: r.parse(at + 2, Email::parse)?,
        lead_time_days: u32::try_from(r.int(at + 3)?)?,
    })
}

/// Reads a supply (`unit_cost_cents, safety_days, review_days` then the
/// [`SUPPLIER`] columns) from `at`; `None` when the SKU has none.
pub fn supply(r: &Row, at: usize) -> anyhow::Result<Option<Supply>> {
    if r.opt_int(at)?.is_none() {
        return Ok(None);
    }
    Ok(Some(Supply {
        unit_cost: Money::eur(r.int(at)?),
        safety_days: u32::try_from(r.int(at + 1)?)?,
        review_days: u32::try_from(r.int(at + 2)?)?,
        supplier: supplier(r, at + 3)?,
    }))
}

/// Every supplier, by name.
pub async fn suppliers(db: &mut dyn Executor) -> anyhow::Result<Vec<Supplier>> {
    db.query(
        &format!("SELECT {SUPPLIER} FROM suppliers su ORDER BY su.name"),
        &[],
    )
    .await?
    .iter()
    .map(|r| supplier(r, 0))
    .collect()
}

/// Purchase orders with their lines: one, or the latest 200 (of `status`).
pub async fn purchase_orders(
    db: &mut dyn Executor,
    id: Option<&OpaqueId>,
    status: Option<PoStatus>,
) -> anyhow::Result<Vec<PurchaseOrder>> {
    // The orders and their lines in one statement: one snapshot, one
    // round trip (a row per line; an order without lines has one row).
    let rows = db
        .query(
            &format!(
                "SELECT o.id, o.status, o.created_at, o.sent_at, o.drafted_by, {SUPPLIER}, \
                        l.sku, p.name, v.colour, v.size, l.ordered, l.received, l.unit_cost_cents \
                 FROM (SELECT * FROM purchase_orders o \
                       WHERE (CAST(?1 AS TEXT) IS NULL OR o.id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR o.status = ?2) \
                       ORDER BY o.created_at DESC, o.id LIMIT 200) o \
                 JOIN suppliers su ON su.id = o.supplier_id \
                 LEFT JOIN purchase_order_lines l ON l.po_id = o.id \
                 LEFT JOIN variants v ON v.sku = l.sku LEFT JOIN products p ON p.id = v.product_id \
                 ORDER BY o.created_at DESC, o.id, l.sku"
            ),
            params![id.map(OpaqueId::as_str), status.map(PoStatus::as_str)],
        )
        .await?;
    let mut orders = Vec::new();
    for rows in rows.chunk_by(|a, b| a.text(0).ok() == b.text(0).ok()) {
        let Some(h) = rows.first() else { continue };
        let id = h.parse(0, OpaqueId::parse)?;
        let supplier = supplier(h, 5)?;
        let mut lines = Vec::with_capacity(rows.len());
        for r in rows {
            if r.opt_text(9)?.is_none() {
                continue;
            }
            lines.push(PoLine {
                sku: r.parse(9, Sku::parse)?,
                description: variant_description(r.text(10)?, r.opt_text(11)?, r.opt_text(12)?),
                ordered: u32::try_from(r.int(13)?)?,
                received: u32::try_from(r.int(14)?)?,
                unit_cost: Money::eur(r.int(15)?),
            });
        }
        let total = lines
            .iter()
            .try_fold(0i64, |sum, l| {
                sum.checked_add(l.unit_cost.amount.checked_mul(i64::from(l.ordered))?)
            })
            .context("purchase order total overflows")?;
        let sent_at_ms = h.opt_int(3)?;
        orders.push(PurchaseOrder {
            id,
            status: PoStatus::parse(h.text(1)?).context("stored purchase order status")?,
            created_at_ms: h.int(2)?,
            sent_at_ms,
            expected_at_ms: sent_at_ms.map(|at| {
                at + i64::from(supplier.lead_time_days) * comptoir_shared::calendar::DAY_MS
            }),
            drafted_by: h.text(4)?.to_owned(),
            supplier,
            lines,
            total: Money::eur(total),
        });
    }
    Ok(orders)
}

/// The purchase order this transaction just wrote, as it now stands.
pub async fn written(db: &mut dyn Executor, id: &OpaqueId) -> anyhow::Result<PurchaseOrder> {
    purchase_order(db, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("purchase order {id} vanished"))
}

/// One purchase order, or `None`.
pub async fn purchase_order(
    db: &mut dyn Executor,
    id: &OpaqueId,
) -> anyhow::Result<Option<PurchaseOrder>> {
    Ok(purchase_orders(db, Some(id), None)
        .await?
        .into_iter()
        .next())
}
