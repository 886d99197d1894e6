//! `GET /api/orders/{id}/staff`: an order as staff see it — what the buyer
//! sees, plus payment sessions, captures (the kept one and any given back),
//! refunds (each naming the capture it gives back when it is not the kept
//! one), internal notes and billing errors.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::ids::OrderId;
use comptoir_shared::order::{BillingError, PaymentInfo, PaymentSessionInfo, StaffOrderView};
use comptoir_shared::{ApiError, Money};

use crate::error::AppResult;
use crate::extract::path_id;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// Reads everything known about the order, for any staff member.
#[utoipa::path(
    get,
    path = "/api/orders/{id}/staff",
    operation_id = "get_staff_order",

    summary = "Read an order as staff see it",
    tag = "orders",
    description = "Roles: admin, support, warehouse, finance. Everything staff know about an \
        order: what the buyer sees, payment sessions and capture, refunds, internal notes and \
        billing errors.",
    params(("id" = OrderId, Path, description = "The order's id.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The order as staff see it.", body = StaffOrderView),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<StaffOrderView>> {
    viewer.staff()?;
    let id = path_id(&raw, "order")?;
    let mut db = host.db.auto();
    let order = crate::orders::summary(&mut db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    let money = db
        .one(
            "SELECT customer_id, payment_reference, paid_at, \
                    (SELECT COALESCE(SUM(amount_cents), 0) FROM refunds \
                     WHERE order_id = o.id AND status = 'succeeded' AND capture_reference IS NULL) \
             FROM orders o WHERE id = ?1",
            params![id.as_str()],
        )
        .await?;
    let paid_at_ms = money.opt_int(2)?;
    let sessions = db
        .query(
            "SELECT id, provider, state, amount_cents, created_at FROM payment_sessions WHERE order_id = ?1 ORDER BY created_at",
            params![id.as_str()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(PaymentSessionInfo {
                id: r.text(0)?.to_owned(),
                provider: r.text(1)?.to_owned(),
                state: r.text(2)?.to_owned(),
                amount: Money::eur(r.int(3)?),
                created_at_ms: r.int(4)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let refund_ids = db
        .query(
            "SELECT id FROM refunds WHERE order_id = ?1 ORDER BY created_at DESC, id",
            params![id.as_str()],
        )
        .await?;
    let mut refunds = Vec::with_capacity(refund_ids.len());
    for row in refund_ids {
        if let Some(refund) =
            crate::refunds::db::load(&mut db, &row.parse(0, OpaqueId::parse)?).await?
        {
            refunds.push(refund);
        }
    }
    let billing_errors = db
        .query(
            "SELECT kind, detail, event_id, at FROM billing_errors WHERE order_id = ?1 ORDER BY at",
            params![id.as_str()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(BillingError {
                kind: r.text(0)?.to_owned(),
                detail: r.text(1)?.to_owned(),
                event_id: r.text(2)?.to_owned(),
                at_ms: r.int(3)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let captured = if paid_at_ms.is_some() {
        order.totals.total
    } else {
        Money::eur(0)
    };
    Ok(Json(StaffOrderView {
        customer_id: money
            .opt_text(0)?
            .map(OpaqueId::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("stored customer id: {e}"))?,
        payment: PaymentInfo {
            sessions,
            reference: money.opt_text(1)?.map(str::to_owned),
            captured,
            refunded: Money::eur(money.int(3)?),
            paid_at_ms,
            captures: crate::payments::db::captures_of(&mut db, &id).await?,
        },
        refunds,
        notes: crate::orders::internal_notes(&mut db, &id).await?,
        billing_errors,
        order,
    }))
}
