//! The catalog as the shopper sees it: products, their variants, availability.

use serde::{Deserialize, Serialize};

use crate::ids::{ProductId, Sku};
use crate::money::Money;

/// What the shop can promise about a variant right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Availability {
    /// Plenty available.
    InStock,
    /// At or under the low-stock threshold: "Plus que 3".
    Low {
        /// Units left.
        remaining: u32,
    },
    /// Nothing available.
    OutOfStock,
}

impl Availability {
    /// The one rule turning stock figures into a promise.
    pub fn from_stock(available: i64, low_threshold: i64) -> Self {
        match u32::try_from(available) {
            Ok(0) | Err(_) => Self::OutOfStock,
            Ok(n) if available <= low_threshold => Self::Low { remaining: n },
            Ok(_) => Self::InStock,
        }
    }

    /// Whether at least one unit can be bought.
    pub fn can_buy(self) -> bool {
        !matches!(self, Self::OutOfStock)
    }
}

/// A product in a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSummary {
    /// Slug.
    pub id: ProductId,
    /// Display name.
    pub name: String,
    /// Category name.
    pub category: String,
    /// Lowest variant price, VAT included.
    pub price_from: Money,
    /// Path of the main image.
    pub image: String,
    /// Whether any variant can be bought.
    pub in_stock: bool,
}

/// A product page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Slug.
    pub id: ProductId,
    /// Display name.
    pub name: String,
    /// Longer text.
    pub description: String,
    /// Category name.
    pub category: String,
    /// Path of the main image.
    pub image: String,
    /// Every sellable variant, in display order.
    pub variants: Vec<Variant>,
}

/// One sellable size/colour of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Its SKU.
    pub sku: Sku,
    /// Size, when the product has sizes.
    pub size: Option<String>,
    /// Colour, when the product has colours.
    pub colour: Option<String>,
    /// Price, VAT included.
    pub price: Money,
    /// Live availability, from the same stock checkout reserves.
    pub availability: Availability,
}

impl Variant {
    /// `Bleu · M`, or the SKU when the variant has no options.
    pub fn label(&self) -> String {
        let parts: Vec<&str> = [self.colour.as_deref(), self.size.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if parts.is_empty() {
            self.sku.to_string()
        } else {
            parts.join(" · ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_follows_thresholds() {
        assert_eq!(Availability::from_stock(0, 3), Availability::OutOfStock);
        assert_eq!(Availability::from_stock(-2, 3), Availability::OutOfStock);
        assert_eq!(
            Availability::from_stock(3, 3),
            Availability::Low { remaining: 3 }
        );
        assert_eq!(Availability::from_stock(4, 3), Availability::InStock);
    }
}
