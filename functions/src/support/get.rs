//! `GET /api/support/threads/{id}`: a thread with its messages, for its
//! customer or the support desk.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::support::SupportThread;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::identity::Viewer;
use crate::port::Host;

use super::Side;

/// Reads the thread; someone else's is 404.
#[utoipa::path(
    get,
    path = "/api/support/threads/{id}",
    operation_id = "get_support_thread",

    summary = "Read a support thread",
    tag = "support",
    description = "Roles: the thread's customer, support, admin. A thread with its messages, oldest first.",
    params(("id" = OpaqueId, Path, description = "The thread's id.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The thread.", body = SupportThread),
        (status = 403, description = "`forbidden`: a staff account without the support role.", body = ApiError),
        (status = 404, description = "`not_found` (`thread`): no such thread, or someone else's.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
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
