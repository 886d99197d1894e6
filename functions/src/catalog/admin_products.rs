//! `GET /api/catalog/admin/products`: every product, published or not, with
//! variants and shelves, for admins.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::catalog_admin::AdminProduct;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::port::Host;

/// Lists the whole catalog.
#[utoipa::path(
    get,
    path = "/api/catalog/admin/products",
    operation_id = "list_admin_products",

    summary = "List every product (admin)",
    tag = "catalog",
    description = "Roles: admin. Every product, published or not, with its variants and their shelves.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The whole catalog.", body = Vec<AdminProduct>),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<AdminProduct>>> {
    viewer.require(&[Role::Admin])?;
    Ok(Json(super::admin_db::products(&mut host.db.auto()).await?))
}
