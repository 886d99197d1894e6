//! `GET /api/support/surveys/{order_id}`: an order's survey answer, for the
//! customer who gave it or any staff member.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::support::Survey;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Reads the answer; 404 when there is none (or it is someone else's).
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Survey>> {
    let account = viewer.signed_in()?;
    let order = path_id(&raw, "survey")?;
    let owner = (!account.role.is_staff()).then_some(&account.id);
    super::db::surveys(&mut host.db.auto(), Some(&order), owner)
        .await?
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("survey").into())
}
