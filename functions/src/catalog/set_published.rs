//! `POST /api/catalog/admin/products/{id}/published`: an admin shows or
//! hides a product in the shop (showing needs a variant).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::catalog_admin::{AdminProduct, SetPublished};
use comptoir_shared::ids::ProductId;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Publishes or unpublishes and answers the product.
#[utoipa::path(
    post,
    path = "/api/catalog/admin/products/{id}/published",
    operation_id = "set_product_published",

    summary = "Publish or unpublish a product",
    tag = "catalog",
    description = "Roles: admin. Shows or hides the product in the shop (showing needs a variant).",
    params(("id" = ProductId, Path, description = "The product's slug.")),
    request_body = SetPublished,
    security(("session" = [])),
    responses(
        (status = 200, description = "The product as admins see it.", body = AdminProduct),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`product`).", body = ApiError),
        (status = 409, description = "`conflict`: published without a variant.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SetPublished>,
) -> AppResult<Json<AdminProduct>> {
    let admin = viewer.require(&[Role::Admin])?;
    let id = ProductId::parse(&raw).map_err(|_| ApiError::not_found("product"))?;
    let mut tx = host.db.begin().await?;
    if super::admin_db::product_by_id(tx.as_mut(), &id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("product").into());
    }
    if body.published && super::admin_db::variant_count(tx.as_mut(), &id).await? == 0 {
        return Err(ApiError::Conflict {
            message: "a product is published once it has a variant".into(),
        }
        .into());
    }
    tx.query(
        "UPDATE products SET published = ?2 WHERE id = ?1",
        params![id.as_str(), body.published],
    )
    .await?;
    // The listing's category counts count published products.
    super::index::refresh(tx.as_mut(), host.db.dialect(), &id, host.clock.now_ms()).await?;
    let detail = if body.published {
        "published"
    } else {
        "unpublished"
    };
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::ProductUpdate,
        id.as_str(),
        detail,
        host.clock.now_ms(),
    )
    .await?;
    let product = super::admin_db::product_by_id(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("product"))?;
    tx.commit().await?;
    Ok(Json(product))
}
