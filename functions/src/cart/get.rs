//! `GET /api/carts/{id}[?shipping=…&country=…&vat_number=…]`: the cart,
//! priced now.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::Cart;
use comptoir_shared::company::{Company, VatNumber};
use comptoir_shared::ids::CartId;
use comptoir_shared::lang::Lang;
use comptoir_shared::pricing::{self, ShippingMethodCode};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, path_id};
use crate::port::Host;
use crate::promotions::Destination;

/// `?shipping=relay` prices the cart with that shipping method, `?country=BE`
/// delivered there, `?vat_number=BE…` for a business there (reverse
/// charge); `?lang=en` names its products in English.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    shipping: Option<String>,
    country: Option<String>,
    vat_number: Option<String>,
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
        ("country" = Option<String>, Query, description = "Delivered to this country (default `FR`): `FR`, `BE`, `DE`, `ES`, `IT`, `LU`, `NL` or `PT`."),
        ("vat_number" = Option<String>, Query, description = "A business buyer's EU VAT number: from another member state, delivered outside France, the price before VAT (reverse charge)."),
        ("lang" = Option<Lang>, Query, description = "Language of product names (default `fr`; French where untranslated)."),
    ),
    security(()),
    responses(
        (status = 200, description = "The priced cart.", body = Cart),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 422, description = "`validation` (`shipping`, `country`, `vat_number`, `lang`): not a shipping method or not one that delivers there, a country the shop does not deliver to, not a VAT number, not a language the shop speaks.", body = ApiError),
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
    let country = options
        .country
        .as_deref()
        .unwrap_or("FR")
        .to_ascii_uppercase();
    if !pricing::ships_to(&country) {
        return Err(ApiError::validation("country", "a country the shop delivers to").into());
    }
    if shipping.to(&country).is_none() {
        return Err(ApiError::validation("shipping", "this method does not deliver there").into());
    }
    let company = options
        .vat_number
        .as_deref()
        .map(|raw| {
            let vat = VatNumber::parse(raw).map_err(|e| ApiError::validation("vat_number", e.0))?;
            Company::new("-", None, Some(vat))
                .map_err(|(_, e)| ApiError::validation("vat_number", e.0))
        })
        .transpose()?;
    let to = Destination::of(&country, company.as_ref(), &host.config);
    let id = path_id(&raw, "cart")?;
    let mut db = host.db.auto();
    if !super::db::exists(&mut db, &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    Ok(Json(
        super::db::priced_with(
            &mut db,
            &id,
            shipping,
            to,
            options.lang,
            host.clock.now_ms(),
        )
        .await?,
    ))
}
