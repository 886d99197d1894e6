//! `POST /api/stock/purchase-orders/{id}/status`: send, close or cancel a
//! purchase order, by its state machine
//! ([`comptoir_shared::purchasing::PoStatus::can_become`]).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::purchasing::{PoStatus, PoStatusChange, PurchaseOrder};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Moves the order on (audited) and answers it.
#[utoipa::path(
    post,
    path = "/api/stock/purchase-orders/{id}/status",
    operation_id = "set_purchase_order_status",

    summary = "Send, close or cancel a purchase order",
    tag = "stock",
    description = "Roles: warehouse, admin. A draft is `sent` (its lines count as on order from \
        then; it must have lines) or `cancelled`; a sent order is `closed` when what is missing \
        will not come, or `cancelled` while nothing was received; a received one is `closed`. \
        `received` is reached by receiving the last units.",
    params(("id" = String, Path, description = "The purchase order's id.")),
    request_body = PoStatusChange,
    security(("session" = [])),
    responses(
        (status = 200, description = "The order.", body = PurchaseOrder),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`purchase_order`).", body = ApiError),
        (status = 409, description = "`conflict`: not a move its state allows (or an empty draft sent).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PoStatusChange>,
) -> AppResult<Json<PurchaseOrder>> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let id = super::po_id(&raw)?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(po) = super::db::purchase_order(tx.as_mut(), &id).await? else {
        return Err(ApiError::not_found("purchase_order").into());
    };
    let received_any = po.lines.iter().any(|l| l.received > 0);
    if !po.status.can_become(body.to, received_any) {
        return Err(ApiError::Conflict {
            message: format!(
                "a {} purchase order cannot become {}",
                po.status.as_str(),
                body.to.as_str()
            ),
        }
        .into());
    }
    if body.to == PoStatus::Sent && po.lines.is_empty() {
        return Err(ApiError::Conflict {
            message: "an empty purchase order cannot be sent".into(),
        }
        .into());
    }
    let moved = tx
        .optional(
            "UPDATE purchase_orders SET status = ?3, \
                sent_at = CASE WHEN ?3 = 'sent' THEN ?4 ELSE sent_at END, \
                closed_at = CASE WHEN ?3 IN ('closed', 'cancelled') THEN ?4 ELSE closed_at END \
             WHERE id = ?1 AND status = ?2 RETURNING id",
            params![id.as_str(), po.status.as_str(), body.to.as_str(), now],
        )
        .await?;
    if moved.is_none() {
        return Err(ApiError::Conflict {
            message: "the purchase order changed meanwhile".into(),
        }
        .into());
    }
    let detail = format!(
        "{} → {}, {} ({})",
        po.status.as_str(),
        body.to.as_str(),
        po.supplier.name,
        po.total.format_decimal()
    );
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::PurchaseOrderStatus,
        id.as_str(),
        &detail,
        now,
    )
    .await?;
    let po = super::db::written(tx.as_mut(), &id).await?;
    tx.commit().await?;
    Ok(Json(po))
}
