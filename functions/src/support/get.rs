//! `GET /api/support/threads/{id}`: a thread with its messages, for its
//! customer or the support desk.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::support::SupportThread;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

use super::Side;

/// Reads the thread; someone else's is 404.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<SupportThread>> {
    let side = Side::of(&viewer)?;
    let id = path_id(&raw, "thread")?;
    super::db::load(&mut host.db.auto(), &id, side.owner())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("thread").into())
}
