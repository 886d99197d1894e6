//! `DELETE /api/carts/{id}/promotions/{code}`: drop a promotion code.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::Cart;
use comptoir_shared::catalog::LangQuery;
use comptoir_shared::ids::CartId;
use comptoir_shared::ids::PromoCode;

use crate::error::AppResult;
use crate::extract::{ApiQuery, path_id};
use crate::params;
use crate::port::Host;

/// Removes the code; removing an absent code is not an error.
#[utoipa::path(
    delete,
    path = "/api/carts/{id}/promotions/{code}",
    operation_id = "remove_cart_promotion",

    summary = "Remove a promotion code from a cart",
    tag = "cart",
    description = "Public (whoever holds the id). Drops a promotion code; dropping an absent one is not an error.",
    params(
        ("id" = CartId, Path, description = "The cart's id."),
        ("code" = PromoCode, Path, description = "The code to drop."),
        LangQuery,
    ),
    security(()),
    responses(
        (status = 200, description = "The priced cart.", body = Cart),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 422, description = "`validation` (`code`): not a promotion code; `validation` (`lang`): not a language the shop speaks.", body = ApiError),
    )
)]
pub async fn handle(
    ApiQuery(query): ApiQuery<LangQuery>,
    State(host): State<Host>,
    Path((raw, code)): Path<(String, String)>,
) -> AppResult<Json<Cart>> {
    let id = path_id(&raw, "cart")?;
    let code = PromoCode::parse(&code).map_err(|e| e.on("code"))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if !super::db::exists(tx.as_mut(), &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    tx.query(
        "DELETE FROM cart_promotions WHERE cart_id = ?1 AND code = ?2",
        params![id.as_str(), code.as_str()],
    )
    .await?;
    let cart = super::db::priced(tx.as_mut(), &id, query.lang, now).await?;
    tx.commit().await?;
    Ok(Json(cart))
}
