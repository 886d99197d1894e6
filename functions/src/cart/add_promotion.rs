//! `PUT /api/carts/{id}/promotions`: add a promotion code, or say why it
//! does not apply (and keep nothing).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::{ApplyPromoCode, Cart};
use comptoir_shared::catalog::LangQuery;
use comptoir_shared::ids::CartId;

use crate::error::AppResult;
use crate::extract::{ApiJson, ApiQuery, path_id};
use crate::params;
use crate::port::Host;

/// Adds the code if it applies to the cart as it is.
#[utoipa::path(
    put,
    path = "/api/carts/{id}/promotions",
    operation_id = "add_cart_promotion",

    summary = "Add a promotion code to a cart",
    tag = "cart",
    description = "Public (whoever holds the id). Adds a promotion code if it applies to the cart \
        as it is; otherwise says why and keeps nothing.",
    params(("id" = CartId, Path, description = "The cart's id."), LangQuery),
    request_body = ApplyPromoCode,
    security(()),
    responses(
        (status = 200, description = "The priced cart.", body = Cart),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 422, description = "`promotion_refused`: the code does not apply (`refusal` says why); `validation`: not a code; `validation` (`lang`): not a language the shop speaks.", body = ApiError),
    )
)]
pub async fn handle(
    ApiQuery(query): ApiQuery<LangQuery>,
    State(host): State<Host>,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ApplyPromoCode>,
) -> AppResult<Json<Cart>> {
    let id = path_id(&raw, "cart")?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if !super::db::exists(tx.as_mut(), &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    let lines: Vec<_> = super::db::lines(tx.as_mut(), &id, query.lang)
        .await?
        .iter()
        .map(super::db::CartLineRow::quote_line)
        .collect();
    let mut codes = super::db::codes(tx.as_mut(), &id).await?;
    if !codes.contains(&body.code) {
        codes.push(body.code.clone());
    }
    let quote = crate::promotions::quote(
        tx.as_mut(),
        &lines,
        &codes,
        Default::default(),
        crate::promotions::Destination::FRANCE,
        None,
        now,
    )
    .await?;
    if let Some((code, refusal)) = quote
        .refused
        .into_iter()
        .find(|(code, _)| code == &body.code)
    {
        return Err(ApiError::PromotionRefused { code, refusal }.into());
    }
    tx.query(
        "INSERT INTO cart_promotions (cart_id, code, added_at) VALUES (?1, ?2, ?3) ON CONFLICT (cart_id, code) DO NOTHING",
        params![id.as_str(), body.code.as_str(), now],
    )
    .await?;
    let cart = super::db::priced(tx.as_mut(), &id, query.lang, now).await?;
    tx.commit().await?;
    Ok(Json(cart))
}
