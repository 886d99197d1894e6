//! `PUT /api/catalog/admin/products/{id}`: an admin creates a product under
//! its slug (201) or replaces its fields (200). Publishing needs a variant.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::catalog_admin::{AdminProduct, ProductInput, check_translations};
use comptoir_shared::ids::ProductId;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Saves the product and answers it as admins see it.
#[utoipa::path(
    put,
    path = "/api/catalog/admin/products/{id}",
    operation_id = "save_product",

    summary = "Create or replace a product",
    tag = "catalog",
    description = "Roles: admin. Creates the product under this slug, or replaces its fields \
        and translations. Publishing needs a variant first.",
    params(("id" = ProductId, Path, description = "The product's slug.")),
    request_body = ProductInput,
    security(("session" = [])),
    responses(
        (status = 200, description = "Replaced; the product as admins see it.", body = AdminProduct),
        (status = 201, description = "Created; the product as admins see it.", body = AdminProduct),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 409, description = "`conflict`: published without a variant.", body = ApiError),
        (status = 422, description = "`validation`: the slug (`id`) or a field is invalid, or `translations` names French.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ProductInput>,
) -> AppResult<(StatusCode, Json<AdminProduct>)> {
    let admin = viewer.require(&[Role::Admin])?;
    let id = ProductId::parse(&raw).map_err(|e| e.on("id"))?;
    check_translations(&body.translations).map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let exists = super::admin_db::product_by_id(tx.as_mut(), &id)
        .await?
        .is_some();
    if body.published && super::admin_db::variant_count(tx.as_mut(), &id).await? == 0 {
        return Err(ApiError::Conflict {
            message: "a product is published once it has a variant".into(),
        }
        .into());
    }
    super::admin_db::save_product(tx.as_mut(), &id, &body, exists).await?;
    super::index::refresh(tx.as_mut(), host.db.dialect(), &id, host.clock.now_ms()).await?;
    let (action, status) = if exists {
        (AuditAction::ProductUpdate, StatusCode::OK)
    } else {
        (AuditAction::ProductCreate, StatusCode::CREATED)
    };
    let detail = format!(
        "{}{}",
        body.name,
        if body.published { ", published" } else { "" }
    );
    crate::audit::record(tx.as_mut(), admin, action, id.as_str(), &detail, now).await?;
    let product = super::admin_db::product_by_id(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("product"))?;
    tx.commit().await?;
    Ok((status, Json(product)))
}
