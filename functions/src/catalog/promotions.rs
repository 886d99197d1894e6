//! `GET /api/promotions`: every promotion code with its uses, for admins.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::catalog_admin::PromotionListing;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::port::Host;

/// Lists the codes, by code.
#[utoipa::path(
    get,
    path = "/api/promotions",
    operation_id = "list_promotions",

    summary = "List promotion codes",
    tag = "catalog",
    description = "Roles: admin. Every promotion code with how often it was used (orders not cancelled), by code.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The codes.", body = Vec<PromotionListing>),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<PromotionListing>>> {
    viewer.require(&[Role::Admin])?;
    let listed = crate::promotions::list(&mut host.db.auto())
        .await?
        .into_iter()
        .map(|(promotion, uses)| PromotionListing { promotion, uses })
        .collect();
    Ok(Json(listed))
}
