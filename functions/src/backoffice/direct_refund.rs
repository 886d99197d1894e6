//! `POST /api/refunds/direct`: finance refunds an amount of a paid order
//! directly (goodwill, damaged parcel), with a reason.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::refund::{Refund, StaffRefund};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// Creates, commits and executes the refund; 409 past the capture.
#[utoipa::path(
    post,
    path = "/api/refunds/direct",
    operation_id = "refund_directly",

    summary = "Refund an amount directly",
    tag = "refunds",
    description = "Roles: finance, admin. Refunds an amount of a paid order directly (goodwill, \
        damaged parcel), with a reason: created, committed and sent to the provider at once.",
    request_body = StaffRefund,
    security(("session" = [])),
    responses(
        (status = 201, description = "The refund, as the provider left it.", body = Refund),
        (status = 403, description = "`forbidden`: neither finance nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
        (status = 409, description = "`conflict`: the order was never paid, or the amount exceeds what it can still give back.", body = ApiError),
        (status = 422, description = "`validation`: an amount that is not positive, or no reason.", body = ApiError),
        (status = 502, description = "`payment_provider_unavailable`: the provider could not be reached; the refund stays committed and can be executed again.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<StaffRefund>,
) -> AppResult<(StatusCode, Json<Refund>)> {
    let staff = viewer.require(&[Role::Finance])?;
    let order = body.order_id.clone();
    let reason = crate::extract::text("reason", &body.reason, 1000, true)?;
    if body.amount.amount <= 0 {
        return Err(ApiError::validation("amount", "a positive amount").into());
    }
    let id = new_id();
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if crate::orders::head(tx.as_mut(), &order).await?.is_none() {
        return Err(ApiError::not_found("order").into());
    }
    tx.query(
        "INSERT INTO refunds (id, order_id, status, requested_cents, reason, requested_by, created_at) \
         VALUES (?1, ?2, 'requested', ?3, ?4, ?5, ?6)",
        params![id.as_str(), order.as_str(), body.amount.amount, &reason, staff.email.as_str(), now],
    )
    .await?;
    crate::refunds::db::commit_amount(
        tx.as_mut(),
        &id,
        &order,
        body.amount.amount,
        staff.email.as_str(),
        now,
    )
    .await?;
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::RefundDirect,
        id.as_str(),
        &format!("{} of order {order}: {reason}", body.amount.amount),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(crate::payments::refund::execute(&host, &id).await?),
    ))
}
