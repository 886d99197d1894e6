//! `GET /api/catalog/admin/categories`: every category the products name,
//! with their translations, for admins.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::catalog_admin::AdminCategory;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::port::Host;

/// Lists the categories.
#[utoipa::path(
    get,
    path = "/api/catalog/admin/categories",
    operation_id = "list_admin_categories",

    summary = "List the categories (admin)",
    tag = "catalog",
    description = "Roles: admin. Every category a product names, published or not, in the shop's \
        order, with its number of products and its names in other languages.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The categories.", body = Vec<AdminCategory>),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<AdminCategory>>> {
    viewer.require(&[Role::Admin])?;
    Ok(Json(
        super::admin_db::categories(&mut host.db.auto()).await?,
    ))
}
