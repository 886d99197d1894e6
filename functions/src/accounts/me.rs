//! `GET /api/accounts/me`: who is signed in (401 when nobody).

use axum::Json;
use comptoir_shared::account::Account;

use crate::error::AppResult;
use crate::identity::Viewer;

/// The signed-in account.
#[utoipa::path(
    get,
    path = "/api/accounts/me",
    operation_id = "get_me",

    summary = "Read the signed-in account",
    tag = "accounts",
    description = "Roles: any account. Who is signed in.",
    security(("session" = [])),
    responses((status = 200, description = "The signed-in account.", body = Account))
)]
pub async fn handle(_: crate::extract::NoQuery, viewer: Viewer) -> AppResult<Json<Account>> {
    Ok(Json(viewer.signed_in()?.clone()))
}
