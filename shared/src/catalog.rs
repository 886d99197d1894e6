//! The catalog as the shopper sees it: products, their variants, availability.

use serde::{Deserialize, Serialize};

use crate::ids::{ProductId, Sku};
use crate::lang::Lang;
use crate::money::Money;

/// What the shop can promise about a variant right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    try_from = "WireAvailability"
)]
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

/// [`Availability`] as the JSON has it (flat, for a smaller browser bundle).
#[derive(Deserialize)]
pub struct WireAvailability {
    state: String,
    remaining: Option<u32>,
}

impl TryFrom<WireAvailability> for Availability {
    type Error = String;

    fn try_from(w: WireAvailability) -> Result<Self, String> {
        Ok(match w.state.as_str() {
            "in_stock" => Self::InStock,
            "low" => Self::Low {
                remaining: w.remaining.ok_or("missing field `remaining`")?,
            },
            "out_of_stock" => Self::OutOfStock,
            other => return Err(format!("unknown state `{other}`")),
        })
    }
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSummary {
    /// Slug.
    pub id: ProductId,
    /// Display name, in the language asked for (French where untranslated).
    pub name: String,
    /// Category key: its French name, as `category=` filters by.
    pub category: String,
    /// Category name in the language asked for.
    pub category_label: String,
    /// Lowest variant price, VAT included.
    pub price_from: Money,
    /// Path of the main image.
    pub image: String,
    /// Whether any variant can be bought.
    pub in_stock: bool,
}

/// A product page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    /// Slug.
    pub id: ProductId,
    /// Display name, in the language asked for (French where untranslated).
    pub name: String,
    /// Longer text, in the language asked for (French where untranslated).
    pub description: String,
    /// Category key: its French name, as `category=` filters by.
    pub category: String,
    /// Category name in the language asked for.
    pub category_label: String,
    /// Path of the main image.
    pub image: String,
    /// Every sellable variant, in display order.
    pub variants: Vec<Variant>,
}

/// One sellable size/colour of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        let options = options_label(self.colour.as_deref(), self.size.as_deref());
        if options.is_empty() {
            self.sku.to_string()
        } else {
            options
        }
    }
}

/// `Bleu · M`: a variant's colour and size, those it has.
pub fn options_label(colour: Option<&str>, size: Option<&str>) -> String {
    [colour, size]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `T-shirt en lin — Bleu · M`: a variant as staff lists name it (the
/// product's name alone when the variant has no options).
pub fn variant_description(name: &str, colour: Option<&str>, size: Option<&str>) -> String {
    match options_label(colour, size) {
        options if options.is_empty() => name.to_owned(),
        options => format!("{name} — {options}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_keeps_its_tagged_wire_shape_both_ways() {
        for (a, json) in [
            (Availability::InStock, r#"{"state":"in_stock"}"#),
            (
                Availability::Low { remaining: 3 },
                r#"{"state":"low","remaining":3}"#,
            ),
            (Availability::OutOfStock, r#"{"state":"out_of_stock"}"#),
        ] {
            assert_eq!(serde_json::to_string(&a).unwrap(), json);
            assert_eq!(serde_json::from_str::<Availability>(json).unwrap(), a);
        }
        assert!(serde_json::from_str::<Availability>(r#"{"state":"low"}"#).is_err());
    }

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

/// How a listing is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductSort {
    /// The shop's own order.
    #[default]
    Featured,
    /// Cheapest first (by lowest variant price).
    PriceAsc,
    /// Dearest first.
    PriceDesc,
    /// A to Z.
    Name,
}

impl ProductSort {
    /// Every order, as offered to the shopper.
    pub const ALL: [Self; 4] = [Self::Featured, Self::PriceAsc, Self::PriceDesc, Self::Name];

    /// The query-string name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Featured => "featured",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Name => "name",
        }
    }
}

/// Query of `GET /api/catalog/products`: every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct ProductQuery {
    /// Words to look for in name, category and description (see [`crate::search`]):
    /// case, accents, hyphens and plurals do not matter; at most 100 characters.
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: String,
    /// Only this category (its key, the French name); empty for all.
    pub category: String,
    /// Lowest `price_from`, minor units.
    pub min_price: Option<i64>,
    /// Highest `price_from`, minor units.
    pub max_price: Option<i64>,
    /// Only products with a variant that can be bought now.
    pub in_stock: bool,
    /// Order.
    pub sort: ProductSort,
    /// 1-based page (default 1).
    #[cfg_attr(feature = "openapi", param(value_type = Option<u64>, maximum = 4_294_967_295_u64))]
    pub page: Option<u32>,
    /// Products per page (default 12; 1 to 48: more is served as 48).
    #[cfg_attr(feature = "openapi", param(value_type = Option<u64>, maximum = 4_294_967_295_u64))]
    pub per_page: Option<u32>,
    /// Language of names and descriptions (default `fr`).
    #[cfg_attr(feature = "openapi", param(inline))]
    pub lang: Lang,
}

/// Query of reads that carry catalog text (a product, a cart): its language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct LangQuery {
    /// Language of names and descriptions (default `fr`; French where untranslated).
    #[cfg_attr(feature = "openapi", param(inline))]
    pub lang: Lang,
}

impl ProductQuery {
    /// Page size when none is asked for.
    pub const DEFAULT_PER_PAGE: u32 = 12;
    /// Largest page the functions serve.
    pub const MAX_PER_PAGE: u32 = 48;

    /// The page asked for, from 1.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// The page size asked for, within bounds.
    pub fn per_page(&self) -> u32 {
        self.per_page
            .unwrap_or(Self::DEFAULT_PER_PAGE)
            .clamp(1, Self::MAX_PER_PAGE)
    }

    /// The query string the storefront keeps in its own URL (defaults left
    /// out; the language is not in it: a shop page has it in its path).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", self.q.trim().to_owned()));
        }
        if !self.category.is_empty() {
            pairs.push(("category", self.category.clone()));
        }
        if let Some(min) = self.min_price {
            pairs.push(("min_price", min.to_string()));
        }
        if let Some(max) = self.max_price {
            pairs.push(("max_price", max.to_string()));
        }
        if self.in_stock {
            pairs.push(("in_stock", "true".to_owned()));
        }
        if self.sort != ProductSort::Featured {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.page() > 1 {
            pairs.push(("page", self.page().to_string()));
        }
        if let Some(per_page) = self.per_page {
            pairs.push(("per_page", per_page.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved kept).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A category and how many products match the rest of the query in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    /// Key: the French name, as `category=` filters by.
    pub name: String,
    /// Name in the language asked for.
    pub label: String,
    /// Matching products.
    pub count: u32,
}

/// One page of a catalog listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPage {
    /// This page's products.
    pub items: Vec<ProductSummary>,
    /// Products matching the query, over all pages.
    pub total: u32,
    /// This page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Every category with its count for the query minus its category filter
    /// (the chosen category too, at 0, when nothing matches in it).
    pub categories: Vec<CategoryCount>,
}

impl ProductPage {
    /// How many pages the query has (at least 1).
    pub fn pages(&self) -> u32 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }

    /// The name, in the page's language, of the category whose key is
    /// `key` (the key itself when the page does not list it).
    pub fn category_label<'a>(&'a self, key: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|c| c.name == key)
            .map_or(key, |c| c.label.as_str())
    }
}
