//! `POST /api/support/threads/{id}/status`: support closes, reopens or parks
//! a thread.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::support::{SetThreadStatus, SupportThread};

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::port::Host;

/// Sets the status and answers the thread.
pub async fn handle(
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
