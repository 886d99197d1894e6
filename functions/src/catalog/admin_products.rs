//! `GET /api/catalog/admin/products`: every product, published or not, with
//! variants and shelves, for admins.

use axum::Json;
use axum::extract::State;
use comptoir_shared::account::Role;
use comptoir_shared::catalog_admin::AdminProduct;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::port::Host;

/// Lists the whole catalog.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<AdminProduct>>> {
    viewer.require(&[Role::Admin])?;
    Ok(Json(super::admin_db::products(&mut host.db.auto()).await?))
}
