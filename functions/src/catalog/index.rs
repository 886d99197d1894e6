//! The catalog's search index and listing columns, kept in step with the
//! products in the same transaction as every write that changes them.
//!
//! A product row carries what the listing filters and orders by, computed
//! once when it is written rather than on every request: `search_tokens`
//! (`comptoir_shared::search::tokens` of its name, category and
//! description, space-separated), `name_key` (its folded name, the A-to-Z
//! order) and `price_from` (its lowest variant price). On SQLite the tokens
//! are also the one row of the product in the FTS5 table `product_search`;
//! on Postgres the GIN index over `search_tokens` follows by itself.
//! The unfiltered listing's category counts are kept in
//! `catalog_categories`, recounted by the same writes.
//! Availability is not stored: it moves with every reservation, and the
//! listing reads it live from `stock`.

use comptoir_shared::ids::ProductId;
use comptoir_shared::search;

use crate::dialect::Dialect;
use crate::params;
use crate::port::Executor;

/// `search_tokens` of a product: the tokens of its texts, space-separated.
pub fn search_tokens(name: &str, category: &str, description: &str) -> String {
    search::tokens(&format!("{name} {category} {description}")).join(" ")
}

/// `name_key` of a product: its folded name (lower case, no accents), by
/// which the A-to-Z order sorts, byte by byte as Rust compares strings.
pub fn name_key(name: &str) -> String {
    search::fold(name)
}

/// Recomputes one product's listing columns and search entry from its
/// fields and variants, and the category counts, and dates the change
/// (`now_ms`, the sitemap's `lastmod`): after the product, its publication
/// or one of its variants changed.
pub async fn refresh(
    tx: &mut dyn Executor,
    dialect: Dialect,
    id: &ProductId,
    now_ms: i64,
) -> anyhow::Result<()> {
    let Some(row) = tx
        .optional(
            "SELECT name, category, description FROM products WHERE id = ?1",
            params![id.as_str()],
        )
        .await?
    else {
        return Ok(());
    };
    let (name, category, description) = (row.text(0)?, row.text(1)?, row.text(2)?);
    let tokens = search_tokens(name, category, description);
    tx.query(
        "UPDATE products SET search_tokens = ?2, name_key = ?3, updated_at = ?4, \
             price_from = (SELECT MIN(v.price_cents) FROM variants v WHERE v.product_id = products.id) \
         WHERE id = ?1",
        params![id.as_str(), tokens.as_str(), name_key(name).as_str(), now_ms],
    )
    .await?;
    if dialect == Dialect::Sqlite {
        tx.query(
            "DELETE FROM product_search WHERE product_id = ?1",
            params![id.as_str()],
        )
        .await?;
        tx.query(
            "INSERT INTO product_search (product_id, tokens) VALUES (?1, ?2)",
            params![id.as_str(), tokens.as_str()],
        )
        .await?;
    }
    recount(tx).await
}

/// Recounts the listed products per category (`catalog_categories`).
async fn recount(tx: &mut dyn Executor) -> anyhow::Result<()> {
    tx.query("DELETE FROM catalog_categories", &[]).await?;
    tx.query(
        "INSERT INTO catalog_categories (category, products, first_position) \
         SELECT category, COUNT(*), MIN(position) FROM products \
         WHERE published = 1 AND price_from IS NOT NULL GROUP BY category",
        &[],
    )
    .await?;
    Ok(())
}

/// Recomputes every product's listing columns and rebuilds the search index:
/// after a migration from a store without them, and after seeding.
pub async fn reindex_all(tx: &mut dyn Executor, dialect: Dialect) -> anyhow::Result<()> {
    let rows = tx
        .query("SELECT id, name, category, description FROM products", &[])
        .await?;
    for row in &rows {
        let (name, category, description) = (row.text(1)?, row.text(2)?, row.text(3)?);
        tx.query(
            "UPDATE products SET search_tokens = ?2, name_key = ?3 WHERE id = ?1",
            params![
                row.text(0)?,
                search_tokens(name, category, description).as_str(),
                name_key(name).as_str()
            ],
        )
        .await?;
    }
    rebuild(tx, dialect).await
}

/// Recomputes every product's `price_from` from its variants, rebuilds the
/// search index from the stored `search_tokens` and recounts the categories: what a bulk load (the
/// demo seed, a generated catalog, a copied store) runs once at its end.
pub async fn rebuild(tx: &mut dyn Executor, dialect: Dialect) -> anyhow::Result<()> {
    tx.query(
        "UPDATE products SET price_from = \
             (SELECT MIN(v.price_cents) FROM variants v WHERE v.product_id = products.id)",
        &[],
    )
    .await?;
    if dialect == Dialect::Sqlite {
        tx.query("DELETE FROM product_search", &[]).await?;
        tx.query(
            "INSERT INTO product_search (product_id, tokens) SELECT id, search_tokens FROM products",
            &[],
        )
        .await?;
    }
    recount(tx).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cover_name_category_and_description_once_folded() {
        assert_eq!(
            search_tokens("T-shirt en lin", "Hauts", "Lin lavé, l'été."),
            "tshirt en lin haut lin lave l ete"
        );
        assert_eq!(name_key("Écharpe en laine"), "echarpe en laine");
    }
}
