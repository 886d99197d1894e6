//! `POST /api/refunds/{id}/approve`: finance approves all or part of a
//! requested refund; it goes to the provider at once.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::refund::{ApproveRefund, Refund, RefundStatus};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::port::Host;

/// Commits the amount (409 past the capture), restocks if asked, pays back.
#[utoipa::path(
    post,
    path = "/api/refunds/{id}/approve",
    operation_id = "approve_refund",

    summary = "Approve a refund",
    tag = "refunds",
    description = "Roles: finance, admin. Approves all or part of a requested refund, optionally \
        putting the units back on the shelf; it goes to the provider at once.",
    params(("id" = OpaqueId, Path, description = "The refund's id.")),
    request_body = ApproveRefund,
    security(("session" = [])),
    responses(
        (status = 200, description = "The refund, as the provider left it.", body = Refund),
        (status = 403, description = "`forbidden`: neither finance nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`refund`).", body = ApiError),
        (status = 409, description = "`conflict`: the refund is not `requested`, or the amount exceeds what the order can still give back.", body = ApiError),
        (status = 422, description = "`validation` (`amount`): not positive, or more than requested.", body = ApiError),
        (status = 502, description = "`payment_provider_unavailable`: the provider could not be reached; the refund stays committed and can be executed again.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ApproveRefund>,
) -> AppResult<Json<Refund>> {
    let staff = viewer.require(&[Role::Finance])?;
    let id = path_id(&raw, "refund")?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let refund = crate::refunds::db::load(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("refund"))?;
    if refund.status != RefundStatus::Requested {
        return Err(ApiError::Conflict {
            message: format!("this refund is {}", refund.status.as_str()),
        }
        .into());
    }
    let amount = body.amount.map_or(refund.requested.amount, |m| m.amount);
    if amount <= 0 || amount > refund.requested.amount {
        return Err(
            ApiError::validation("amount", "positive, at most the requested amount").into(),
        );
    }
    crate::refunds::db::commit_amount(
        tx.as_mut(),
        &id,
        &refund.order_id,
        amount,
        staff.email.as_str(),
        now,
    )
    .await?;
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::RefundApprove,
        id.as_str(),
        &format!(
            "{amount} of order {}{}",
            refund.order_id,
            if body.restock { ", restocked" } else { "" }
        ),
        now,
    )
    .await?;
    if body.restock {
        let lines: Vec<_> = refund
            .lines
            .iter()
            .map(|l| (l.sku.clone(), i64::from(l.quantity.get())))
            .collect();
        crate::stock::restock(tx.as_mut(), &refund.order_id, &lines, now).await?;
        tx.query(
            "UPDATE refunds SET restock = 1 WHERE id = ?1",
            crate::params![id.as_str()],
        )
        .await?;
    }
    tx.commit().await?;
    crate::payments::refund::execute(&host, &id).await.map(Json)
}
