//! `POST /api/refunds/{id}/decline`: finance refuses a request, saying why.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::refund::{DeclineRefund, Refund};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Declines a `requested` refund.
#[utoipa::path(
    post,
    path = "/api/refunds/{id}/decline",
    operation_id = "decline_refund",

    summary = "Decline a refund",
    tag = "refunds",
    description = "Roles: finance, admin. Refuses a requested refund, saying why (shown to the customer).",
    params(("id" = OpaqueId, Path, description = "The refund's id.")),
    request_body = DeclineRefund,
    security(("session" = [])),
    responses(
        (status = 200, description = "The declined refund.", body = Refund),
        (status = 403, description = "`forbidden`: neither finance nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`refund`).", body = ApiError),
        (status = 409, description = "`conflict`: the refund is not `requested`.", body = ApiError),
        (status = 422, description = "`validation` (`note`): 1 to 1000 characters on one line.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<DeclineRefund>,
) -> AppResult<Json<Refund>> {
    let staff = viewer.require(&[Role::Finance])?;
    let id = path_id(&raw, "refund")?;
    let note = crate::extract::text("note", &body.note, 1000, true)?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let declined = tx
        .optional(
            "UPDATE refunds SET status = 'declined', decided_by = ?2, decision_note = ?3, decided_at = ?4 \
             WHERE id = ?1 AND status = 'requested' RETURNING id",
            params![id.as_str(), staff.email.as_str(), &note, now],
        )
        .await?;
    if declined.is_none() {
        return Err(match super::db::load(tx.as_mut(), &id).await? {
            None => ApiError::not_found("refund"),
            Some(r) => ApiError::Conflict {
                message: format!("this refund is {}", r.status.as_str()),
            },
        }
        .into());
    }
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::RefundDecline,
        id.as_str(),
        &note,
        now,
    )
    .await?;
    let refund = super::db::load(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("refund"))?;
    tx.commit().await?;
    Ok(Json(refund))
}
