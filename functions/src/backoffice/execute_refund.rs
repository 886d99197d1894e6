//! `POST /api/refunds/{id}/execute`: send a committed (`pending`) refund to
//! the provider — the refund a cancellation committed, or one whose provider
//! call failed. Idempotent: the provider sees one idempotency key per refund.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::refund::Refund;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::identity::Viewer;
use crate::port::Host;

/// Executes the refund and answers its state.
#[utoipa::path(
    post,
    path = "/api/refunds/{id}/execute",
    operation_id = "execute_refund",

    summary = "Execute a committed refund",
    tag = "refunds",
    description = "Roles: finance, support, admin. Sends a committed (`pending`) refund to the \
        provider — the one a cancellation committed, or one whose provider call failed — and \
        answers its state; any other refund is answered as it is. Safe to repeat.",
    params(("id" = OpaqueId, Path, description = "The refund's id.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The refund.", body = Refund),
        (status = 403, description = "`forbidden`: not finance, support or an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`refund`).", body = ApiError),
        (status = 502, description = "`payment_provider_unavailable`: the provider could not be reached; try again.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Refund>> {
    let staff = viewer.require(&[Role::Finance, Role::Support])?;
    let id = path_id(&raw, "refund")?;
    // The provider call runs outside any transaction (no lock over the
    // network), so the request to send is what gets logged, in its own.
    let mut tx = host.db.begin().await?;
    let refund = crate::refunds::db::load(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("refund"))?;
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::RefundExecute,
        id.as_str(),
        &format!("{} ({})", refund.order_id, refund.status.as_str()),
        host.clock.now_ms(),
    )
    .await?;
    tx.commit().await?;
    crate::payments::refund::execute(&host, &id).await.map(Json)
}
