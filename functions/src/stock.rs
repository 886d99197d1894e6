//! Stock: `available = on_hand − reserved`, changed only by the functions
//! below, each inside the caller's transaction and each writing its ledger row.
//!
//! Reservation is one conditional `UPDATE` (never a read then a write), so two
//! checkouts racing for the last unit cannot both win.

use comptoir_shared::ApiError;
use comptoir_shared::account::Account;
use comptoir_shared::audit::AuditAction;
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

/// A receipt or an adjustment: `delta` units on the shelf, with its ledger
/// and audit rows, in the caller's transaction. On hand never drops below
/// what is reserved.
pub async fn move_on_hand(
    tx: &mut dyn Executor,
    staff: &Account,
    sku: &Sku,
    kind: &str,
    delta: i64,
    note: &str,
    now: i64,
) -> crate::error::AppResult<comptoir_shared::stock::StockMovement> {
    let moved = tx
        .optional(
            "UPDATE stock SET on_hand = on_hand + ?2 WHERE sku = ?1 AND on_hand + ?2 >= reserved RETURNING sku",
            params![sku.as_str(), delta],
        )
        .await?;
    if moved.is_none() {
        let exists = tx
            .optional(
                "SELECT on_hand - reserved FROM stock WHERE sku = ?1",
                params![sku.as_str()],
            )
            .await?;
        return Err(match exists {
            None => ApiError::not_found("sku"),
            Some(r) => ApiError::Conflict {
                message: format!("only {} unreserved units can be removed", r.int(0)?),
            },
        }
        .into());
    }
    tx.query(
        "INSERT INTO stock_movements (id, sku, kind, quantity, order_id, note, at) VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)",
        params![new_id().as_str(), sku.as_str(), kind, delta, note, now],
    )
    .await?;
    let action = if kind == "receipt" {
        AuditAction::StockReceipt
    } else {
        AuditAction::StockAdjustment
    };
    let detail = format!("{delta:+}: {note}");
    crate::audit::record(tx, staff, action, sku.as_str(), &detail, now).await?;
    Ok(comptoir_shared::stock::StockMovement {
        kind: kind.to_owned(),
        quantity: delta,
        order_id: None,
        note: note.to_owned(),
        at_ms: now,
    })
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
