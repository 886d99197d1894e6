//! `POST /api/refunds/{id}/execute`: send a committed (`pending`) refund to
//! the provider — the refund a cancellation committed, or one whose provider
//! call failed. Idempotent: the provider sees one idempotency key per refund.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::account::Role;
use comptoir_shared::refund::Refund;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Executes the refund and answers its state.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Refund>> {
    viewer.require(&[Role::Finance, Role::Support])?;
    let id = path_id(&raw, "refund")?;
    super::db::execute(&host, &id).await.map(Json)
}
