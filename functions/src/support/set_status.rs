//! `POST /api/support/threads/{id}/status`: support closes, reopens or parks
//! a thread.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::support::{SetThreadStatus, SupportThread};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::port::Host;

/// Sets the status and answers the thread.
#[utoipa::path(
    post,
    path = "/api/support/threads/{id}/status",
    operation_id = "set_support_thread_status",

    summary = "Set a support thread's status",
    tag = "support",
    description = "Roles: support, admin. Closes, reopens or parks a thread.",
    params(("id" = OpaqueId, Path, description = "The thread's id.")),
    request_body = SetThreadStatus,
    security(("session" = [])),
    responses(
        (status = 200, description = "The thread.", body = SupportThread),
        (status = 403, description = "`forbidden`: neither support nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`thread`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SetThreadStatus>,
) -> AppResult<Json<SupportThread>> {
    let staff = viewer.require(&[Role::Support])?;
    let id = path_id(&raw, "thread")?;
    let mut tx = host.db.begin().await?;
    if !super::db::set_status(tx.as_mut(), &id, body.status).await? {
        return Err(ApiError::not_found("thread").into());
    }
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::SupportStatus,
        id.as_str(),
        body.status.as_str(),
        host.clock.now_ms(),
    )
    .await?;
    let thread = super::db::load(tx.as_mut(), &id, None)
        .await?
        .ok_or_else(|| ApiError::not_found("thread"))?;
    tx.commit().await?;
    Ok(Json(thread))
}
