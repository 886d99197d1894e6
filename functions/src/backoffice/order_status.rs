//! `POST /api/orders/{id}/status`: staff move an order along the shared
//! state machine — warehouse picks, ships (carrier + tracking) and delivers;
//! support cancels. Cancelling gives the stock back (released if unpaid,
//! returned to the shelf if paid) and, for a paid order, commits a full
//! refund in the same transaction; the refunds function (the only one besides
//! payments that may reach the provider) executes it:
//! `POST /api/refunds/{id}/execute`.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OrderId;
use comptoir_shared::order::{OrderStatus, OrderSummary, StatusChange};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id, text};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// Applies the change (409 when the machine forbids it) and answers the order.
#[utoipa::path(
    post,
    path = "/api/orders/{id}/status",
    operation_id = "change_order_status",

    summary = "Move an order along its life",
    tag = "orders",
    description = "Roles: warehouse or admin to move an order to `picking`, `shipped` (with the \
        shipment) or `delivered`; support or admin to cancel it. The shared state machine \
        decides what may follow what. Cancelling gives the stock back and, for a paid order, \
        commits a full refund (executed through `POST /api/refunds/{id}/execute`).",
    params(("id" = OrderId, Path, description = "The order's id.")),
    request_body = StatusChange,
    security(("session" = [])),
    responses(
        (status = 200, description = "The order after the change.", body = OrderSummary),
        (status = 403, description = "`forbidden`: the account's role may not make this change.", body = ApiError),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
        (status = 409, description = "`invalid_transition`: the state machine forbids it (`from`, `to`).", body = ApiError),
        (status = 422, description = "`validation`: a status staff do not set, a shipment missing when shipping (or given otherwise), or a note or shipment field too long.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<StatusChange>,
) -> AppResult<Json<OrderSummary>> {
    let staff = match body.to {
        OrderStatus::Picking | OrderStatus::Shipped | OrderStatus::Delivered => {
            viewer.require(&[Role::Warehouse])?
        }
        OrderStatus::Cancelled => viewer.require(&[Role::Support])?,
        _ => {
            viewer.staff()?;
            return Err(ApiError::validation(
                "to",
                "staff set picking, shipped, delivered or cancelled",
            )
            .into());
        }
    };
    let id = path_id(&raw, "order")?;
    let note = text("note", &body.note, 500, false)?;
    let shipment = match (body.to, &body.shipment) {
        (OrderStatus::Shipped, Some(s)) => Some((
            text("shipment.carrier", &s.carrier, 40, true)?,
            text("shipment.tracking_number", &s.tracking_number, 64, true)?,
        )),
        (OrderStatus::Shipped, None) => {
            return Err(ApiError::validation(
                "shipment",
                "carrier and tracking number are required",
            )
            .into());
        }
        (_, Some(_)) => return Err(ApiError::validation("shipment", "only when shipping").into()),
        (_, None) => None,
    };
    let note = if note.is_empty() {
        default_note(body.to)
    } else {
        &note
    };
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let head = crate::orders::head(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    crate::orders::transition(tx.as_mut(), &id, body.to, staff.email.as_str(), note, now).await?;
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::OrderStatus,
        id.as_str(),
        &format!("{} → {}: {note}", head.status.as_str(), body.to.as_str()),
        now,
    )
    .await?;
    match body.to {
        OrderStatus::Shipped => {
            if let Some((carrier, tracking)) = &shipment {
                tx.query(
                    "UPDATE orders SET carrier = ?2, tracking_number = ?3, shipped_at = ?4 WHERE id = ?1",
                    params![id.as_str(), carrier, tracking, now],
                )
                .await?;
                crate::outbox::enqueue(
                    tx.as_mut(),
                    crate::outbox::Kind::OrderShipped,
                    &id,
                    "",
                    "",
                    now,
                )
                .await?;
            }
        }
        OrderStatus::Delivered => {
            // Partial refunds made before delivery show from now on.
            crate::refunds::db::sync_order_status(tx.as_mut(), &id, now).await?;
        }
        OrderStatus::Cancelled if head.status == OrderStatus::PendingPayment => {
            crate::stock::release_order(tx.as_mut(), &id, now).await?;
        }
        OrderStatus::Cancelled => {
            let lines = crate::stock::order_lines(tx.as_mut(), &id).await?;
            crate::stock::restock(tx.as_mut(), &id, &lines, now).await?;
            if let Some((captured, committed)) =
                crate::refunds::db::captured_and_committed(tx.as_mut(), &id).await?
                && captured > committed
            {
                let refund_id = new_id();
                tx.query(
                    "INSERT INTO refunds (id, order_id, status, requested_cents, reason, requested_by, created_at) \
                     VALUES (?1, ?2, 'requested', ?3, 'order cancelled', ?4, ?5)",
                    params![refund_id.as_str(), id.as_str(), captured - committed, staff.email.as_str(), now],
                )
                .await?;
                crate::refunds::db::commit_amount(
                    tx.as_mut(),
                    &refund_id,
                    &id,
                    captured - committed,
                    staff.email.as_str(),
                    now,
                )
                .await?;
            }
        }
        _ => {}
    }
    tx.commit().await?;
    let summary = crate::orders::summary(&mut host.db.auto(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    Ok(Json(summary))
}

fn default_note(to: OrderStatus) -> &'static str {
    match to {
        OrderStatus::Picking => "preparing the parcel",
        OrderStatus::Shipped => "handed to the carrier",
        OrderStatus::Delivered => "delivered",
        _ => "cancelled by the shop",
    }
}
