//! Stock: `available = on_hand − reserved`, changed only by the functions
//! below, each inside the caller's transaction and each writing its ledger row.
//!
//! Reservation is one conditional `UPDATE` (never a read then a write), so two
//! checkouts racing for the last unit cannot both win.

use comptoir_shared::ids::{OrderId, Quantity, Sku};

use crate::params;
use crate::port::{Executor, new_id};

/// Why a reservation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    /// Units that were available.
    pub available: i64,
}

/// Reserves `quantity` of `sku` for `order`, or reports how many were available.
pub async fn reserve(
    tx: &mut dyn Executor,
    sku: &Sku,
    quantity: Quantity,
    order: &OrderId,
    now_ms: i64,
) -> anyhow::Result<Result<(), Shortfall>> {
    let reserved = tx
        .optional(
            "UPDATE stock SET reserved = reserved + ?2 WHERE sku = ?1 AND on_hand - reserved >= ?2 RETURNING sku",
            params![sku.as_str(), quantity.get()],
        )
        .await?;
    if reserved.is_none() {
        let available = tx
            .optional(
                "SELECT on_hand - reserved FROM stock WHERE sku = ?1",
                params![sku.as_str()],
            )
            .await?
            .map_or(Ok(0), |r| r.int(0))?;
        return Ok(Err(Shortfall { available }));
    }
    ledger(
        tx,
        sku,
        "reservation",
        i64::from(quantity.get()),
        order,
        now_ms,
    )
    .await?;
    Ok(Ok(()))
}

/// Gives back what an order reserved (payment failed, expired or cancelled).
pub async fn release_order(
    tx: &mut dyn Executor,
    order: &OrderId,
    now_ms: i64,
) -> anyhow::Result<()> {
    for (sku, quantity) in order_lines(tx, order).await? {
        tx.query(
            "UPDATE stock SET reserved = reserved - ?2 WHERE sku = ?1",
            params![sku.as_str(), quantity],
        )
        .await?;
        ledger(tx, &sku, "release", -quantity, order, now_ms).await?;
    }
    Ok(())
}

/// Turns an order's reservation into a sale: the units leave the shelf.
pub async fn sell_order(tx: &mut dyn Executor, order: &OrderId, now_ms: i64) -> anyhow::Result<()> {
    for (sku, quantity) in order_lines(tx, order).await? {
        tx.query(
            "UPDATE stock SET reserved = reserved - ?2, on_hand = on_hand - ?2 WHERE sku = ?1",
            params![sku.as_str(), quantity],
        )
        .await?;
        ledger(tx, &sku, "sale", -quantity, order, now_ms).await?;
    }
    Ok(())
}

/// Puts sold units back on the shelf (`return` ledger rows): a cancelled paid
/// order, or a refund approved with restock. `lines` are `(sku, quantity)`.
pub async fn restock(
    tx: &mut dyn Executor,
    order: &OrderId,
    lines: &[(Sku, i64)],
    now_ms: i64,
) -> anyhow::Result<()> {
    for (sku, quantity) in lines {
        tx.query(
            "UPDATE stock SET on_hand = on_hand + ?2 WHERE sku = ?1",
            params![sku.as_str(), *quantity],
        )
        .await?;
        ledger(tx, sku, "return", *quantity, order, now_ms).await?;
    }
    Ok(())
}

/// An order's lines as `(sku, quantity)`.
pub async fn order_lines(
    tx: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Vec<(Sku, i64)>> {
    tx.query(
        "SELECT sku, quantity FROM order_lines WHERE order_id = ?1 ORDER BY position",
        params![order.as_str()],
    )
    .await?
    .iter()
    .map(|r| Ok((r.parse(0, Sku::parse)?, r.int(1)?)))
    .collect()
}

async fn ledger(
    tx: &mut dyn Executor,
    sku: &Sku,
    kind: &str,
    quantity: i64,
    order: &OrderId,
    now_ms: i64,
) -> anyhow::Result<()> {
    tx.query(
        "INSERT INTO stock_movements (id, sku, kind, quantity, order_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new_id().as_str(), sku.as_str(), kind, quantity, order.as_str(), now_ms],
    )
    .await?;
    Ok(())
}
