//! `PUT /api/carts/{id}/items`: set how many units of a SKU the cart holds.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::{Cart, SetCartLine};
use comptoir_shared::catalog::LangQuery;
use comptoir_shared::ids::CartId;

use crate::error::AppResult;
use crate::extract::{ApiJson, ApiQuery, path_id};
use crate::params;
use crate::port::Host;

/// Sets a line; refuses unknown SKUs and more than is available.
#[utoipa::path(
    put,
    path = "/api/carts/{id}/items",
    operation_id = "set_cart_line",

    summary = "Set a SKU's quantity in a cart",
    tag = "cart",
    description = "Public (whoever holds the id). Sets how many units of a SKU the cart holds, \
        within what is available now.",
    params(("id" = CartId, Path, description = "The cart's id."), LangQuery),
    request_body = SetCartLine,
    security(()),
    responses(
        (status = 200, description = "The priced cart.", body = Cart),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 409, description = "`insufficient_stock`: fewer units are available (`available`).", body = ApiError),
        (status = 422, description = "`unknown_sku`: the SKU is not sold here; `validation`: a field is invalid; `validation` (`lang`): not a language the shop speaks.", body = ApiError),
    )
)]
pub async fn handle(
    ApiQuery(query): ApiQuery<LangQuery>,
    State(host): State<Host>,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SetCartLine>,
) -> AppResult<Json<Cart>> {
    let id = path_id(&raw, "cart")?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    crate::orders::expire_reservations(tx.as_mut(), now).await?;
    if !super::db::exists(tx.as_mut(), &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    let Some(variant) = crate::catalog::variant_by_sku(tx.as_mut(), &body.sku).await? else {
        return Err(ApiError::UnknownSku {
            sku: body.sku.to_string(),
        }
        .into());
    };
    if i64::from(body.quantity.get()) > variant.available {
        return Err(ApiError::InsufficientStock {
            sku: body.sku.to_string(),
            available: u32::try_from(variant.available.max(0)).unwrap_or(0),
        }
        .into());
    }
    tx.query(
        "INSERT INTO cart_lines (cart_id, sku, quantity, added_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity",
        params![id.as_str(), body.sku.as_str(), body.quantity.get(), now],
    )
    .await?;
    tx.query(
        "UPDATE carts SET updated_at = ?2 WHERE id = ?1",
        params![id.as_str(), now],
    )
    .await?;
    let cart = super::db::priced(tx.as_mut(), &id, query.lang, now).await?;
    tx.commit().await?;
    Ok(Json(cart))
}
