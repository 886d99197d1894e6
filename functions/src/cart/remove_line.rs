//! `DELETE /api/carts/{id}/items/{sku}`: drop a SKU from the cart.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::Cart;
use comptoir_shared::catalog::LangQuery;
use comptoir_shared::ids::CartId;
use comptoir_shared::ids::Sku;

use crate::error::AppResult;
use crate::extract::{ApiQuery, path_id};
use crate::params;
use crate::port::Host;

/// Removes a line; removing an absent line is not an error.
#[utoipa::path(
    delete,
    path = "/api/carts/{id}/items/{sku}",
    operation_id = "remove_cart_line",

    summary = "Remove a SKU from a cart",
    tag = "cart",
    description = "Public (whoever holds the id). Drops a SKU from the cart; dropping an absent one is not an error.",
    params(
        ("id" = CartId, Path, description = "The cart's id."),
        ("sku" = Sku, Path, description = "The SKU to drop."),
        LangQuery,
    ),
    security(()),
    responses(
        (status = 200, description = "The priced cart.", body = Cart),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 422, description = "`validation` (`sku`): not a SKU; `validation` (`lang`): not a language the shop speaks.", body = ApiError),
    )
)]
pub async fn handle(
    ApiQuery(query): ApiQuery<LangQuery>,
    State(host): State<Host>,
    Path((raw, sku)): Path<(String, String)>,
) -> AppResult<Json<Cart>> {
    let id = path_id(&raw, "cart")?;
    let sku = Sku::parse(&sku).map_err(|e| e.on("sku"))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if !super::db::exists(tx.as_mut(), &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    tx.query(
        "DELETE FROM cart_lines WHERE cart_id = ?1 AND sku = ?2",
        params![id.as_str(), sku.as_str()],
    )
    .await?;
    let cart = super::db::priced(tx.as_mut(), &id, query.lang, now).await?;
    tx.commit().await?;
    Ok(Json(cart))
}
