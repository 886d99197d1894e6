//! Refund SQL and the steps shared by every way a refund happens.
//!
//! A refund gives back either the order's kept payment (`capture_reference`
//! NULL: Σ refunded ≤ captured holds over those) or one capture the order did
//! not keep (a second payment, a payment after cancellation), named by its
//! provider reference and refunded in full: such a refund counts against
//! nothing else and never moves the order's status.

use anyhow::Context as _;
use comptoir_shared::ids::{OpaqueId, OrderId, Quantity, Sku};
use comptoir_shared::invoice::RefundedLine;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::refund::{Refund, RefundLine, RefundStatus};
use comptoir_shared::{ApiError, Money};

use crate::error::{AppError, AppResult};
use crate::params;
use crate::port::Executor;

/// A refund by id.
pub async fn load(db: &mut dyn Executor, id: &OpaqueId) -> anyhow::Result<Option<Refund>> {
    let Some(r) = db
        .optional(
            "SELECT order_id, status, requested_cents, amount_cents, reason, decision_note, created_at, capture_reference \
             FROM refunds WHERE id = ?1",
            params![id.as_str()],
        )
        .await?
    else {
        return Ok(None);
    };
    let lines = db
        .query(
            "SELECT sku, quantity, amount_cents FROM refund_lines WHERE refund_id = ?1 ORDER BY sku",
            params![id.as_str()],
        )
        .await?
        .iter()
        .map(|l| {
            Ok(RefundLine {
                sku: l.parse(0, Sku::parse)?,
                quantity: Quantity::parse(l.int(1)?).context("stored refund quantity")?,
                amount: Money::eur(l.int(2)?),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(Refund {
        id: id.clone(),
        order_id: r.parse(0, OrderId::parse)?,
        status: RefundStatus::parse(r.text(1)?).context("stored refund status")?,
        requested: Money::eur(r.int(2)?),
        amount: Money::eur(r.int(3)?),
        reason: r.text(4)?.to_owned(),
        decision_note: r.text(5)?.to_owned(),
        lines,
        created_at_ms: r.int(6)?,
        capture_reference: r.opt_text(7)?.map(str::to_owned),
    }))
}

/// Refunds of orders `customer` placed signed in (only `order`'s when
/// given), newest first.
pub async fn of_customer(
    db: &mut dyn Executor,
    customer: &OpaqueId,
    order: Option<&OrderId>,
) -> anyhow::Result<Vec<Refund>> {
    let ids = db
        .query(
            "SELECT f.id FROM refunds f JOIN orders o ON o.id = f.order_id \
             WHERE o.customer_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR f.order_id = ?2) \
             ORDER BY f.created_at DESC, f.id LIMIT 200",
            params![customer.as_str(), order.map(OpaqueId::as_str)],
        )
        .await?;
    let mut refunds = Vec::with_capacity(ids.len());
    for row in ids {
        if let Some(refund) = load(db, &row.parse(0, OpaqueId::parse)?).await? {
            refunds.push(refund);
        }
    }
    Ok(refunds)
}

/// What the order's kept payment captured, and what of it is refunded or on
/// its way back; `None` when the order was never paid. Refunds of captures
/// the order did not keep are not part of it.
pub async fn captured_and_committed(
    db: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Option<(i64, i64)>> {
    let r = db
        .optional(
            "SELECT o.total_cents, COALESCE((SELECT SUM(amount_cents) FROM refunds \
                 WHERE order_id = o.id AND status IN ('pending', 'succeeded') AND capture_reference IS NULL), 0) \
             FROM orders o WHERE o.id = ?1 AND o.paid_at IS NOT NULL",
            params![order.as_str()],
        )
        .await?;
    r.map(|r| Ok((r.int(0)?, r.int(1)?))).transpose()
}

/// What a capture the order did not keep took, and what of it is refunded
/// or on its way back; `None` for an unknown reference.
pub async fn stray_captured_and_committed(
    db: &mut dyn Executor,
    reference: &str,
) -> anyhow::Result<Option<(i64, i64)>> {
    let r = db
        .optional(
            "SELECT c.amount_cents, COALESCE((SELECT SUM(amount_cents) FROM refunds \
                 WHERE capture_reference = c.reference AND status IN ('pending', 'succeeded')), 0) \
             FROM payment_captures c WHERE c.reference = ?1",
            params![reference],
        )
        .await?;
    r.map(|r| Ok((r.int(0)?, r.int(1)?))).transpose()
}

/// Commits the full refund of a capture the order did not keep: a
/// `pending` refund naming it, decided by the system, for the caller to
/// send after commit ([`crate::payments::refund::execute`], or
/// [`crate::payments::refund::execute_stale`] later). Call inside
/// the transaction that records the capture, so it is refunded exactly once.
pub async fn commit_stray(
    tx: &mut dyn Executor,
    order: &OrderId,
    capture_reference: &str,
    amount: i64,
    reason: &str,
    now_ms: i64,
) -> anyhow::Result<OpaqueId> {
    let id = crate::port::new_id();
    tx.query(
        "INSERT INTO refunds (id, order_id, status, requested_cents, amount_cents, reason, requested_by, decided_by, \
             created_at, decided_at, capture_reference) \
         VALUES (?1, ?2, 'pending', ?3, ?3, ?4, 'system', 'system', ?5, ?5, ?6)",
        params![id.as_str(), order.as_str(), amount, reason, now_ms, capture_reference],
    )
    .await?;
    Ok(id)
}

/// Commits `amount` of refund `id` (status `pending`) if the order can still
/// give it back; 409 otherwise. Call inside the write transaction.
pub async fn commit_amount(
    tx: &mut dyn Executor,
    id: &OpaqueId,
    order: &OrderId,
    amount: i64,
    staff: &str,
    now_ms: i64,
) -> AppResult<()> {
    let Some((captured, committed)) = captured_and_committed(tx, order).await? else {
        return Err(ApiError::Conflict {
            message: "the order was never paid".into(),
        }
        .into());
    };
    // `amount > captured - committed` cannot overflow, whatever the caller sent.
    if amount <= 0 || amount > captured - committed {
        return Err(ApiError::Conflict {
            message: format!(
                "refunding {amount} would exceed the capture ({committed} of {captured} already refunded)"
            ),
        }
        .into());
    }
    tx.query(
        "UPDATE refunds SET status = 'pending', amount_cents = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
        params![id.as_str(), amount, staff, now_ms],
    )
    .await?;
    Ok(())
}

/// Records a provider's verdict on a refund (once: only a `pending` refund
/// moves), and brings the order's status in line with what was refunded.
pub async fn settle(
    tx: &mut dyn Executor,
    id: &OpaqueId,
    provider_refund_id: Option<&str>,
    status: RefundStatus,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let moved = tx
        .optional(
            "UPDATE refunds SET status = ?2, provider_refund_id = COALESCE(provider_refund_id, ?3), settled_at = ?4 \
             WHERE id = ?1 AND status = 'pending' RETURNING order_id, amount_cents, capture_reference",
            params![id.as_str(), status.as_str(), provider_refund_id, now_ms],
        )
        .await?;
    let Some(row) = moved else {
        return Ok(false);
    };
    let order = row.parse(0, OrderId::parse)?;
    if status == RefundStatus::Succeeded {
        match row.opt_text(2)? {
            // Money that was no sale goes back: booked, no credit note.
            Some(capture) => {
                crate::accounting::book_suspense(
                    tx,
                    crate::accounting::Suspense {
                        event: "stray_refund",
                        source: id.as_str(),
                        piece: capture,
                        label: format!("Remboursement du paiement {capture} (non dû)"),
                        amount: -row.int(1)?,
                    },
                    now_ms,
                )
                .await?;
            }
            None => credit_succeeded(tx, &order, now_ms).await?,
        }
        let amount = Money::eur(row.int(1)?).format_fr();
        crate::outbox::enqueue(
            tx,
            crate::outbox::Kind::RefundSettled,
            &order,
            id.as_str(),
            &amount,
            now_ms,
        )
        .await?;
    }
    if status == RefundStatus::Failed {
        tx.query(
            "INSERT INTO billing_errors (id, order_id, event_id, kind, detail, at) VALUES (?1, ?2, ?3, 'refund_failed', ?4, ?5)",
            params![crate::port::new_id().as_str(), order.as_str(), provider_refund_id.unwrap_or(""), format!("refund {id} failed"), now_ms],
        )
        .await?;
    }
    sync_order_status(tx, &order, now_ms).await?;
    Ok(true)
}

/// Issues the credit note of every succeeded refund of the order's sale
/// (its kept payment) that has none yet, oldest first: called when a refund
/// succeeds and when the payment lands (a refund may be announced first).
/// Money given back for a capture that was never a sale gets none.
pub async fn credit_succeeded(
    tx: &mut dyn Executor,
    order: &OrderId,
    now_ms: i64,
) -> anyhow::Result<()> {
    let due = tx
        .query(
            "SELECT r.id, r.amount_cents, r.reason, r.settled_at, COALESCE(r.provider_refund_id, '') FROM refunds r \
             WHERE r.order_id = ?1 AND r.status = 'succeeded' AND r.capture_reference IS NULL \
               AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.refund_id = r.id) \
             ORDER BY r.settled_at, r.id",
            params![order.as_str()],
        )
        .await?;
    for r in due {
        let refund_id = r.text(0)?;
        let returned = tx
            .query(
                "SELECT sku, quantity, amount_cents FROM refund_lines WHERE refund_id = ?1 ORDER BY sku",
                params![refund_id],
            )
            .await?
            .iter()
            .map(|l| {
                Ok(RefundedLine {
                    sku: l.text(0)?.to_owned(),
                    quantity: u32::try_from(l.int(1)?).context("stored quantity")?,
                    amount: l.int(2)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let facts = crate::accounting::CreditFacts {
            refund_id,
            order,
            amount: r.int(1)?,
            returned,
            reason: r.text(2)?.to_owned(),
            settled_at_ms: r.opt_int(3)?.unwrap_or(now_ms),
            reference: r.text(4)?.to_owned(),
        };
        if crate::accounting::issue_credit_note(tx, &facts, now_ms)
            .await?
            .is_none()
        {
            // No invoice yet: the payment's event issues both. (An order paid
            // before invoices began has none, and so gets no credit note.)
            tracing::warn!(%order, refund = refund_id, "refund without an invoice: no credit note yet");
            break;
        }
    }
    Ok(())
}

/// Brings the order's status in line with its succeeded refunds of the kept
/// payment (called when a refund settles, when the payment lands, and on
/// delivery); giving back a capture the order did not keep changes nothing.
pub async fn sync_order_status(
    tx: &mut dyn Executor,
    order: &OrderId,
    now_ms: i64,
) -> anyhow::Result<()> {
    let Some(head) = crate::orders::head(tx, order).await? else {
        return Ok(());
    };
    let refunded = tx
        .one(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds \
             WHERE order_id = ?1 AND status = 'succeeded' AND capture_reference IS NULL",
            params![order.as_str()],
        )
        .await?
        .int(0)?;
    if refunded == 0 {
        return Ok(());
    }
    let note = format!("{} refunded", Money::eur(refunded).format_en());
    // A full refund ends the order's life; a partial one shows once the parcel
    // is delivered, so picking, shipping and delivery are never blocked by it.
    let to = match head.status {
        OrderStatus::Paid
        | OrderStatus::Shipped
        | OrderStatus::Delivered
        | OrderStatus::PartiallyRefunded
            if refunded >= head.total.amount =>
        {
            OrderStatus::Refunded
        }
        OrderStatus::Delivered | OrderStatus::PartiallyRefunded => OrderStatus::PartiallyRefunded,
        OrderStatus::Paid | OrderStatus::Picking | OrderStatus::Shipped => {
            // Recorded on the timeline; the status stays what fulfilment made it.
            return crate::orders::insert_event(tx, order, head.status, "payment", &note, now_ms)
                .await;
        }
        // Not paid yet (the completion event syncs again), cancelled, or refunded.
        _ => return Ok(()),
    };
    match crate::orders::transition(tx, order, to, "payment", &note, now_ms).await {
        Ok(()) => Ok(()),
        Err(AppError::Api(other)) => Err(anyhow::anyhow!("{other}")),
        Err(AppError::Internal(e)) => Err(e),
    }
}
