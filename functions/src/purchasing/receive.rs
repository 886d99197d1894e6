//! `POST /api/stock/purchase-orders/{id}/receipts`: goods of a sent
//! purchase order arrived. Each line's units go on the shelf once: the
//! line's `received` may never pass `ordered` (a conditional update), and
//! each receipt line writes its `receipt` stock ledger row, its audit row
//! and its journal entry (607 / 408 at cost) in the same transaction. The
//! client's key for the delivery makes a repeat (a double click, a retry)
//! answer the order as it stands and receive nothing more.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ledger::{Journal, purchase_entry};
use comptoir_shared::purchasing::{PoReceipt, PoStatus, PurchaseOrder};

use crate::accounting::ledger::Entry;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// Receives the lines (all or nothing) and answers the order.
#[utoipa::path(
    post,
    path = "/api/stock/purchase-orders/{id}/receipts",
    operation_id = "receive_purchase_order",

    summary = "Receive goods against a purchase order",
    tag = "stock",
    description = "Roles: warehouse, admin. For each line: the units go on the shelf (a `receipt` \
        ledger row), are booked at the line's cost (journal AC: 607 / 408), and count as received \
        on the line; none may take a line past what was ordered. All lines or none. When every \
        line is received in full the order becomes `received`. The same `key` again receives \
        nothing more and answers the order as it stands.",
    params(("id" = String, Path, description = "The purchase order's id.")),
    request_body = PoReceipt,
    security(("session" = [])),
    responses(
        (status = 200, description = "The order after the receipt.", body = PurchaseOrder),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`purchase_order`).", body = ApiError),
        (status = 409, description = "`conflict`: the order is not sent, or a line would receive more than ordered.", body = ApiError),
        (status = 422, description = "`validation`: no line, a SKU twice or not on the order, a quantity of 0, a note over 100 characters.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PoReceipt>,
) -> AppResult<Json<PurchaseOrder>> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let id = super::po_id(&raw)?;
    body.validate().map_err(|(field, e)| e.on(field))?;
    let note = crate::extract::text("note", &body.note, 100, false)?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(po) = super::db::purchase_order(tx.as_mut(), &id).await? else {
        return Err(ApiError::not_found("purchase_order").into());
    };
    let first = tx
        .optional(
            "INSERT INTO purchase_receipt_keys (po_id, key, at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (po_id, key) DO NOTHING RETURNING key",
            params![id.as_str(), body.key.as_str(), now],
        )
        .await?;
    if first.is_none() {
        return Ok(Json(po));
    }
    if po.status != PoStatus::Sent {
        return Err(ApiError::Conflict {
            message: format!("a {} purchase order receives nothing", po.status.as_str()),
        }
        .into());
    }
    let reference = format!("BC {}", id.short());
    for line in &body.lines {
        let Some(ordered) = po.lines.iter().find(|l| l.sku == line.sku) else {
            return Err(ApiError::validation("sku", "not a line of this purchase order").into());
        };
        let taken = tx
            .optional(
                "UPDATE purchase_order_lines SET received = received + ?3 \
                 WHERE po_id = ?1 AND sku = ?2 AND received + ?3 <= ordered RETURNING received",
                params![id.as_str(), line.sku.as_str(), line.quantity],
            )
            .await?;
        if taken.is_none() {
            return Err(ApiError::Conflict {
                message: format!(
                    "{} expects {} more unit(s)",
                    line.sku.as_str(),
                    ordered.ordered.saturating_sub(ordered.received)
                ),
            }
            .into());
        }
        let shelf_note = match note.as_str() {
            "" => format!("{reference} ({})", staff.email),
            n => format!("{reference} — {n} ({})", staff.email),
        };
        crate::stock::move_on_hand(
            tx.as_mut(),
            staff,
            &line.sku,
            "receipt",
            i64::from(line.quantity),
            &shelf_note,
            now,
        )
        .await?;
        let receipt = new_id();
        tx.query(
            "INSERT INTO purchase_receipts (id, po_id, sku, quantity, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                receipt.as_str(),
                id.as_str(),
                line.sku.as_str(),
                line.quantity,
                now,
                staff.email.as_str()
            ],
        )
        .await?;
        let cost = ordered
            .unit_cost
            .amount
            .checked_mul(i64::from(line.quantity))
            .ok_or_else(|| anyhow::anyhow!("receipt cost overflows"))?;
        if cost > 0 {
            crate::accounting::ledger::post(
                tx.as_mut(),
                &Entry {
                    journal: Journal::Purchases,
                    event: "purchase_receipt",
                    source: receipt.as_str(),
                    piece: &reference,
                    piece_date_ms: now,
                    label: format!(
                        "Réception {reference} {} {} × {}",
                        po.supplier.name,
                        line.sku.as_str(),
                        line.quantity
                    ),
                    customer: None,
                    lines: purchase_entry(cost),
                },
                now,
            )
            .await?;
        }
    }
    tx.query(
        "UPDATE purchase_orders SET status = 'received' WHERE id = ?1 AND status = 'sent' \
         AND NOT EXISTS (SELECT 1 FROM purchase_order_lines WHERE po_id = ?1 AND received < ordered)",
        params![id.as_str()],
    )
    .await?;
    let po = super::db::written(tx.as_mut(), &id).await?;
    tx.commit().await?;
    Ok(Json(po))
}
