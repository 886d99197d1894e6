//! The catalog as admins edit it: every product, published or not, with its
//! variants; the bodies that create or change them; promotion listings.
//! (The shopper's view is [`crate::catalog`].)

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{ProductId, Sku, string_newtype, typed_text};
use crate::lang::Lang;
use crate::money::{Currency, Money};
use crate::pricing::{Promotion, TaxClass};

string_newtype!(
    /// A product's or category's name: 1 to 120 characters on one line.
    Label,
    |raw| typed_text(raw, "a name", (1, 120), false),
    schema: crate::openapi::text(1, 120, false, "T-shirt en lin")
);

string_newtype!(
    /// A product's description: at most 4000 characters, line breaks allowed.
    Description [Default],
    |raw| typed_text(raw, "a description", (0, 4000), true),
    schema: crate::openapi::text(0, 4000, true, "Lin lavé, coupe droite.")
);

string_newtype!(
    /// A size or colour: 1 to 40 characters on one line.
    OptionLabel,
    |raw| typed_text(raw, "an option", (1, 40), false),
    schema: crate::openapi::text(1, 40, false, "Bleu")
);

string_newtype!(
    /// Where a product's image is served from: an absolute path on the shop
    /// (`/img/products/t-shirt-lin.svg`) of letters, digits, `-`, `_`, `.`, `/`.
    /// Same origin only: `//host/x.png` would be another site's image.
    ImagePath,
    |raw| {
        let ok = raw.starts_with('/')
            && !raw.contains("//")
            && !raw.contains("..")
            && (2..=200).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
        if ok {
            Ok(raw.to_owned())
        } else {
            Err(ValidationError(
                "an image path starts with / and holds letters, digits, - _ . /".into(),
            ))
        }
    },
    // `..` is refused too (not expressible without look-around).
    schema: crate::openapi::Str {
        pattern: "^/[A-Za-z0-9._/-]{1,199}$",
        min: None,
        max: None,
        example: "/img/products/t-shirt-lin.svg",
    }
);

/// Body of `PUT /api/catalog/admin/products/{id}`: creates or replaces a
/// product's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// Display name.
    pub name: Label,
    /// Longer text.
    #[serde(default)]
    pub description: Description,
    /// Category name.
    pub category: Label,
    /// Main image.
    pub image: ImagePath,
    /// VAT category (default standard).
    #[serde(default)]
    pub tax_class: TaxClass,
    /// Shown in the shop (default no: publish once variants exist).
    #[serde(default)]
    pub published: bool,
    /// Listing order (default: after the others).
    #[serde(default)]
    pub position: Option<u32>,
    /// Name and description in other languages, by code (`en`); a language
    /// left out is served in French. Replaces the product's translations.
    #[serde(default)]
    pub translations: BTreeMap<Lang, ProductText>,
}

/// A product's name and description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductText {
    /// Display name.
    pub name: Label,
    /// Longer text (empty: the French one is shown).
    #[serde(default)]
    pub description: Description,
}

/// Refuses a translation into French, the language of a product's or
/// category's own text, under `field`.
pub fn check_translations<T>(
    translations: &BTreeMap<Lang, T>,
) -> Result<(), (&'static str, ValidationError)> {
    if translations.contains_key(&Lang::Fr) {
        return Err((
            "translations",
            ValidationError("French is the text itself, not a translation".into()),
        ));
    }
    Ok(())
}

/// Body of `PUT /api/catalog/admin/categories/{name}`: a category's name in
/// other languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    /// The category's name by language code (`en`); a language left out is
    /// served in French. Replaces the category's translations.
    pub translations: BTreeMap<Lang, Label>,
}

/// A category as admins see it: every category a product names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCategory {
    /// Its key: the French name products carry.
    pub name: String,
    /// Products in it, published or not.
    pub products: u32,
    /// Its name in other languages.
    pub translations: BTreeMap<Lang, String>,
}

/// Body of `POST /api/catalog/admin/products/{id}/published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPublished {
    /// Shown in the shop or not.
    pub published: bool,
}

/// Body of `PUT /api/catalog/admin/products/{id}/variants/{sku}`: creates a
/// variant (with an empty shelf) or changes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VariantInput {
    /// Size, when the product has sizes.
    #[serde(default)]
    pub size: Option<OptionLabel>,
    /// Colour, when the product has colours.
    #[serde(default)]
    pub colour: Option<OptionLabel>,
    /// Price, VAT included, in euros.
    pub price: Money,
    /// Display order within the product.
    #[serde(default)]
    pub position: u32,
}

impl VariantInput {
    /// The most a variant may cost (100 000 €).
    pub const MAX_PRICE_CENTS: i64 = 10_000_000;

    /// Checks the price: euros, 0 to [`Self::MAX_PRICE_CENTS`].
    pub fn check(&self) -> Result<(), (&'static str, ValidationError)> {
        if self.price.currency != Currency::Eur
            || !(0..=Self::MAX_PRICE_CENTS).contains(&self.price.amount)
        {
            return Err((
                "price",
                ValidationError("a price in EUR from 0 to 100000.00".into()),
            ));
        }
        Ok(())
    }
}

/// A variant as admins see it, with its shelf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminVariant {
    /// Its SKU.
    pub sku: Sku,
    /// Size.
    pub size: Option<String>,
    /// Colour.
    pub colour: Option<String>,
    /// Price, VAT included.
    pub price: Money,
    /// Display order.
    pub position: i64,
    /// Units on the shelf.
    pub on_hand: i64,
    /// Units held for unpaid orders.
    pub reserved: i64,
}

/// A product as admins see it, published or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminProduct {
    /// Slug.
    pub id: ProductId,
    /// Display name.
    pub name: String,
    /// Longer text.
    pub description: String,
    /// Category name.
    pub category: String,
    /// Main image.
    pub image: String,
    /// VAT category.
    pub tax_class: TaxClass,
    /// Shown in the shop.
    pub published: bool,
    /// Listing order.
    pub position: i64,
    /// Name and description in other languages.
    pub translations: BTreeMap<Lang, ProductText>,
    /// Every variant, in display order.
    pub variants: Vec<AdminVariant>,
}

/// A promotion code with how often it was used (orders not cancelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromotionListing {
    /// Its terms, exactly as checkout applies them.
    pub promotion: Promotion,
    /// Uses so far.
    pub uses: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_parse_on_the_way_in() {
        assert!(ImagePath::parse("/img/products/x.svg").is_ok());
        for bad in [
            "img/x.svg",
            "/img/../secret",
            "/img/x y.svg",
            "https://x/y.png",
            "//evil.example/x.png",
            "/img//evil.example/x.png",
        ] {
            assert!(ImagePath::parse(bad).is_err(), "{bad}");
        }
        assert!(Label::parse("").is_err());
        assert!(Description::parse("Lin lavé.\nCoupe droite.").is_ok());
        let input: VariantInput = serde_json::from_value(serde_json::json!({
            "price": {"amount": -1, "currency": "EUR"}
        }))
        .unwrap();
        assert_eq!(input.check().map_err(|(f, _)| f), Err("price"));
        let input: ProductInput = serde_json::from_value(serde_json::json!({
            "name": "T-shirt en lin", "category": "Hauts", "image": "/img/x.svg",
            "translations": {"en": {"name": "Linen T-shirt"}}
        }))
        .unwrap();
        assert_eq!(input.translations[&Lang::En].name.as_str(), "Linen T-shirt");
        assert!(check_translations(&input.translations).is_ok());
        let french: CategoryInput =
            serde_json::from_value(serde_json::json!({"translations": {"fr": "Hauts"}})).unwrap();
        assert!(check_translations(&french.translations).is_err());
        assert!(
            serde_json::from_value::<CategoryInput>(
                serde_json::json!({"translations": {"de": "Oberteile"}})
            )
            .is_err()
        );
    }
}
