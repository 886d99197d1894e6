//! `GET /api/accounts/staff`: every staff account, for admins.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::{Role, StaffMember};

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::port::Host;

/// Lists staff accounts, disabled ones included.
#[utoipa::path(
    get,
    path = "/api/accounts/staff",
    operation_id = "list_staff",

    summary = "List staff accounts",
    tag = "accounts",
    description = "Roles: admin. Every staff account, disabled ones included.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The staff accounts.", body = Vec<StaffMember>),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<StaffMember>>> {
    viewer.require(&[Role::Admin])?;
    Ok(Json(super::db::staff(&mut host.db.auto()).await?))
}
