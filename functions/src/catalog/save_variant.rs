//! `PUT /api/catalog/admin/products/{id}/variants/{sku}`: an admin creates a
//! variant (201, with an empty shelf: stock comes in through receipts) or
//! changes its options, price and position (200). Orders keep the price they
//! were charged; carts see the new one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::catalog_admin::{AdminProduct, VariantInput};
use comptoir_shared::ids::{ProductId, Sku};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Saves the variant and answers its product.
#[utoipa::path(
    put,
    path = "/api/catalog/admin/products/{id}/variants/{sku}",
    operation_id = "save_variant",

    summary = "Create or change a variant",
    tag = "catalog",
    description = "Roles: admin. Creates a variant with an empty shelf (stock comes in through \
        receipts) or changes its options, price and position. Orders keep the price they were \
        charged; carts see the new one.",
    params(
        ("id" = ProductId, Path, description = "The product's slug."),
        ("sku" = Sku, Path, description = "The variant's SKU."),
    ),
    request_body = VariantInput,
    security(("session" = [])),
    responses(
        (status = 200, description = "Changed; its product as admins see it.", body = AdminProduct),
        (status = 201, description = "Created; its product as admins see it.", body = AdminProduct),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`product`).", body = ApiError),
        (status = 409, description = "`conflict`: the SKU belongs to another product.", body = ApiError),
        (status = 422, description = "`validation`: the SKU (`sku`), the price (EUR, 0 to 100000.00) or another field is invalid.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path((raw_product, raw_sku)): Path<(String, String)>,
    ApiJson(body): ApiJson<VariantInput>,
) -> AppResult<(StatusCode, Json<AdminProduct>)> {
    let admin = viewer.require(&[Role::Admin])?;
    let product = ProductId::parse(&raw_product).map_err(|_| ApiError::not_found("product"))?;
    let sku = Sku::parse(&raw_sku).map_err(|e| e.on("sku"))?;
    body.check().map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if super::admin_db::product_by_id(tx.as_mut(), &product)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("product").into());
    }
    let exists = match super::admin_db::owner_of(tx.as_mut(), &sku).await? {
        Some(owner) if owner != product => {
            return Err(ApiError::Conflict {
                message: format!("{sku} belongs to {owner}"),
            }
            .into());
        }
        owner => owner.is_some(),
    };
    super::admin_db::save_variant(tx.as_mut(), &product, &sku, &body, exists).await?;
    // Its price may have changed the product's lowest price.
    super::index::refresh(
        tx.as_mut(),
        host.db.dialect(),
        &product,
        host.clock.now_ms(),
    )
    .await?;
    let detail = format!(
        "{product}: {}{}",
        body.price.format_decimal(),
        if exists { "" } else { ", new" }
    );
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::VariantSave,
        sku.as_str(),
        &detail,
        now,
    )
    .await?;
    let saved = super::admin_db::product_by_id(tx.as_mut(), &product)
        .await?
        .ok_or_else(|| ApiError::not_found("product"))?;
    tx.commit().await?;
    let status = if exists {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(saved)))
}
