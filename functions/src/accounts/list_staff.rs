//! `GET /api/accounts/staff`: every staff account, for admins.

use axum::Json;
use axum::extract::State;
use comptoir_shared::account::{Role, StaffMember};

use crate::error::AppResult;
use crate::port::Host;

use super::Viewer;

/// Lists staff accounts, disabled ones included.
pub async fn handle(State(host): State<Host>, viewer: Viewer) -> AppResult<Json<Vec<StaffMember>>> {
    viewer.require(&[Role::Admin])?;
    Ok(Json(super::db::staff(&mut host.db.auto()).await?))
}
