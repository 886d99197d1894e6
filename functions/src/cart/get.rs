//! `GET /api/carts/{id}[?shipping=…]`: the cart, priced now.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::Cart;
use comptoir_shared::ids::CartId;
use comptoir_shared::lang::Lang;
use comptoir_shared::pricing::ShippingMethodCode;
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, path_id};
use crate::port::Host;

/// `?shipping=relay` prices the cart with that shipping method;
/// `?lang=en` names its products in English.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    shipping: Option<String>,
    #[serde(default)]
    lang: Lang,
}

/// Reads a cart.
#[utoipa::path(
    get,
    path = "/api/carts/{id}",
    operation_id = "get_cart",

    summary = "Read a cart, priced",
    tag = "cart",
    description = "Public (whoever holds the id). The cart priced now, with the codes that apply \
        and those that no longer do.",
    params(
        ("id" = CartId, Path, description = "The cart's id."),
        ("shipping" = Option<ShippingMethodCode>, Query, description = "Price with this shipping method (default `colissimo`)."),
        ("lang" = Option<Lang>, Query, description = "Language of product names (default `fr`; French where untranslated)."),
    ),
    security(()),
    responses(
        (status = 200, description = "The priced cart.", body = Cart),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 422, description = "`validation` (`shipping`, `lang`): not a shipping method, not a language the shop speaks.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    Path(raw): Path<String>,
    ApiQuery(options): ApiQuery<Options>,
) -> AppResult<Json<Cart>> {
    let shipping = match options.shipping.as_deref() {
        None => ShippingMethodCode::default(),
        Some(raw) => ShippingMethodCode::parse(raw)
            .ok_or_else(|| ApiError::validation("shipping", "colissimo, relay or express"))?,
    };
    let id = path_id(&raw, "cart")?;
    let mut db = host.db.auto();
    if !super::db::exists(&mut db, &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    Ok(Json(
        super::db::priced_with(&mut db, &id, shipping, options.lang, host.clock.now_ms()).await?,
    ))
}
