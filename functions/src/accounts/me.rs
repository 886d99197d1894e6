//! `GET /api/accounts/me`: who is signed in (401 when nobody).

use axum::Json;
use comptoir_shared::account::Account;

use crate::error::AppResult;

use super::Viewer;

/// The signed-in account.
pub async fn handle(viewer: Viewer) -> AppResult<Json<Account>> {
    Ok(Json(viewer.signed_in()?.clone()))
}
