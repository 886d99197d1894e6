//! The cart: what the shopper intends to buy, always priced by the server.

use serde::{Deserialize, Serialize};

use crate::catalog::Availability;
use crate::ids::{CartId, ProductId, PromoCode, Quantity, Sku};
use crate::money::Money;
use crate::pricing::{PromoRefusal, Totals};

/// A cart as the functions price it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cart {
    /// Its id, kept by the browser.
    pub id: CartId,
    /// One line per SKU.
    pub lines: Vec<CartLine>,
    /// Totals from [`crate::pricing::quote`].
    pub totals: Totals,
    /// Units across all lines.
    pub item_count: u32,
    /// Promotion codes applied to the totals.
    pub promo_codes: Vec<PromoCode>,
    /// Codes the shopper added that no longer apply, and why.
    pub refused_codes: Vec<RefusedCode>,
}

/// A promotion code that does not apply to the cart as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusedCode {
    /// The code.
    pub code: PromoCode,
    /// Why.
    pub refusal: PromoRefusal,
}

/// Body of `PUT /api/carts/{id}/promotions`: add a promotion code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplyPromoCode {
    /// The code as typed.
    pub code: PromoCode,
}

/// One SKU in a cart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    /// The SKU.
    pub sku: Sku,
    /// Its product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// `Bleu · M`.
    pub variant_label: String,
    /// Path of the product image.
    pub image: String,
    /// Unit price, VAT included.
    pub unit_price: Money,
    /// Units wanted.
    pub quantity: Quantity,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// What can be had right now.
    pub availability: Availability,
}

/// Body of `PUT /api/carts/{id}/items`: set a SKU's quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetCartLine {
    /// The SKU.
    pub sku: Sku,
    /// The new quantity (remove a line with `DELETE`).
    pub quantity: Quantity,
}
