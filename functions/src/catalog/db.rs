//! Catalog SQL.

use comptoir_shared::Money;
use comptoir_shared::catalog::{Availability, ProductSummary, Variant};
use comptoir_shared::ids::{ProductId, Sku};

use crate::params;
use crate::port::{Executor, Row};

/// A product card with the search tokens of its name, category and description.
pub struct Card {
    /// What the listing shows.
    pub summary: ProductSummary,
    /// `comptoir_shared::search::tokens` of its texts.
    pub tokens: Vec<String>,
}

/// Every published product, in display order, with its lowest price and
/// whether any unit is available.
pub async fn cards(db: &mut dyn Executor) -> anyhow::Result<Vec<Card>> {
    let rows = db
        .query(
            "SELECT p.id, p.name, p.category, p.image, MIN(v.price_cents), \
                    MAX(s.on_hand - s.reserved), p.description \
             FROM products p JOIN variants v ON v.product_id = p.id JOIN stock s ON s.sku = v.sku \
             WHERE p.published = 1 GROUP BY p.id, p.name, p.category, p.image, p.position, p.description \
             ORDER BY p.position",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let summary = ProductSummary {
                id: r.parse(0, ProductId::parse)?,
                name: r.text(1)?.to_owned(),
                category: r.text(2)?.to_owned(),
                image: r.text(3)?.to_owned(),
                price_from: Money::eur(r.int(4)?),
                in_stock: r.int(5)? > 0,
            };
            let tokens = comptoir_shared::search::tokens(&format!(
                "{} {} {}",
                summary.name,
                summary.category,
                r.text(6)?
            ));
            Ok(Card { summary, tokens })
        })
        .collect()
}

/// A published product's own fields: name, description, category, image.
pub async fn product(db: &mut dyn Executor, id: &ProductId) -> anyhow::Result<Option<Row>> {
    db.optional(
        "SELECT name, description, category, image FROM products WHERE id = ?1 AND published = 1",
        params![id.as_str()],
    )
    .await
}

/// A product's variants with live availability, in display order.
pub async fn variants(db: &mut dyn Executor, id: &ProductId) -> anyhow::Result<Vec<Variant>> {
    let rows = db
        .query(
            "SELECT v.sku, v.size, v.colour, v.price_cents, s.on_hand - s.reserved, s.low_threshold \
             FROM variants v JOIN stock s ON s.sku = v.sku WHERE v.product_id = ?1 ORDER BY v.position",
            params![id.as_str()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Variant {
                sku: r.parse(0, Sku::parse)?,
                size: r.opt_text(1)?.map(str::to_owned),
                colour: r.opt_text(2)?.map(str::to_owned),
                price: Money::eur(r.int(3)?),
                availability: Availability::from_stock(r.int(4)?, r.int(5)?),
            })
        })
        .collect()
}

/// What cart and checkout need to know about one SKU.
#[derive(Debug, Clone)]
pub struct VariantRow {
    /// Its product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Product image.
    pub image: String,
    /// The variant, with availability.
    pub variant: Variant,
    /// Units available now.
    pub available: i64,
}

/// One published SKU, or `None` when it is not sold.
pub async fn variant_by_sku(
    db: &mut dyn Executor,
    sku: &Sku,
) -> anyhow::Result<Option<VariantRow>> {
    let Some(r) = db
        .optional(
            "SELECT p.id, p.name, p.image, v.size, v.colour, v.price_cents, s.on_hand - s.reserved, s.low_threshold \
             FROM variants v JOIN products p ON p.id = v.product_id JOIN stock s ON s.sku = v.sku \
             WHERE v.sku = ?1 AND p.published = 1",
            params![sku.as_str()],
        )
        .await?
    else {
        return Ok(None);
    };
    let available = r.int(6)?;
    Ok(Some(VariantRow {
        product_id: r.parse(0, ProductId::parse)?,
        product_name: r.text(1)?.to_owned(),
        image: r.text(2)?.to_owned(),
        variant: Variant {
            sku: sku.clone(),
            size: r.opt_text(3)?.map(str::to_owned),
            colour: r.opt_text(4)?.map(str::to_owned),
            price: Money::eur(r.int(5)?),
            availability: Availability::from_stock(available, r.int(7)?),
        },
        available,
    }))
}
