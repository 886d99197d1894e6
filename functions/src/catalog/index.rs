//! The catalog's search index and listing columns, kept in step with the
//! products in the same transaction as every write that changes them.
//!
//! What the listing filters and orders by is computed once, when a product
//! is written, rather than on every request:
//! - `product_search`: one row per product and language the shop speaks,
//!   the `comptoir_shared::search::tokens` of its name, category and
//!   description in that language (French for what is not translated),
//!   space-separated; on SQLite an FTS5 table whose rows are numbered by
//!   the products' search keys (`products.search_key`), on Postgres a
//!   table with a GIN index (the statements: [`Dialect`]'s). A search
//!   reads its shopper's language only, so a prefix never matches across
//!   languages.
//! - `products.name_key`, `product_translations.name_key`: the folded
//!   names, the A-to-Z order in each language;
//! - `products.price_from`: the lowest variant price (and
//!   `products.available`, kept by a trigger on `stock`, recomputed here
//!   after a bulk load).
//!
//! The unfiltered listing's category counts are kept in
//! `catalog_categories`, recounted by the same writes. Availability moves
//! with every reservation: the store keeps `products.available` itself (a
//! trigger on `stock`, `infra/migrations/20261204090000_…`); a bulk load
//! may hold that trigger back ([`hold_availability`]) and [`rebuild`]
//! computes it once at its end.

use std::collections::BTreeMap;

use comptoir_shared::ids::ProductId;
use comptoir_shared::lang::Lang;
use comptoir_shared::search;

use crate::dialect::Dialect;
use crate::params;
use crate::port::{Executor, Row, Value};

/// The tokens of a product's texts, space-separated.
fn search_tokens(texts: &[&str]) -> String {
    search::tokens(&texts.join(" ")).join(" ")
}

/// `name_key` of a product: its folded name (lower case, no accents), by
/// which the A-to-Z order sorts, byte by byte as Rust compares strings.
fn name_key(name: &str) -> String {
    search::fold(name)
}

/// A product's texts as written: its own (French) and its translations.
#[derive(Debug, Default)]
struct Texts {
    name: String,
    category: String,
    description: String,
    /// Translated name and description (empty: the French one), by language.
    translations: BTreeMap<Lang, (String, String)>,
    /// The category's name by language.
    category_names: BTreeMap<Lang, String>,
}

impl Texts {
    /// What a search in `lang` matches: the texts in that language, French
    /// for what is not translated.
    fn tokens(&self, lang: Lang) -> String {
        let (name, description) = match self.translations.get(&lang) {
            Some((name, d)) if d.is_empty() => (name, &self.description),
            Some((name, description)) => (name, description),
            None => (&self.name, &self.description),
        };
        let category = self.category_names.get(&lang).unwrap_or(&self.category);
        search_tokens(&[name, category, description])
    }
}

/// Recomputes one product's listing columns and search rows from its
/// fields, translations and variants, and the category counts, and dates
/// the change (`now_ms`, the sitemap's `lastmod`): after the product, its
/// publication or one of its variants changed.
pub async fn refresh(
    tx: &mut dyn Executor,
    dialect: Dialect,
    id: &ProductId,
    now_ms: i64,
) -> anyhow::Result<()> {
    if reindex(tx, dialect, Products::One(id)).await? == 0 {
        return Ok(());
    }
    tx.query(
        "UPDATE products SET updated_at = ?2, \
             price_from = (SELECT MIN(v.price_cents) FROM variants v WHERE v.product_id = products.id) \
         WHERE id = ?1",
        params![id.as_str(), now_ms],
    )
    .await?;
    recount(tx).await
}

/// Re-indexes every product of `category` and dates them (`now_ms`): after
/// the category's translations changed (a shopper finds its products by
/// the category's name in their language).
pub async fn refresh_category(
    tx: &mut dyn Executor,
    dialect: Dialect,
    category: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    reindex(tx, dialect, Products::Category(category)).await?;
    tx.query(
        "UPDATE products SET updated_at = ?2 WHERE category = ?1",
        params![category, now_ms],
    )
    .await?;
    Ok(())
}

/// Which products [`reindex`] rewrites.
#[derive(Clone, Copy)]
enum Products<'a> {
    One(&'a ProductId),
    Category(&'a str),
    All,
}

impl Products<'_> {
    /// The condition on products `p`, and its bound value.
    fn condition(self) -> (&'static str, Vec<Value>) {
        match self {
            Self::One(id) => ("p.id = ?1", vec![Value::from(id.as_str())]),
            Self::Category(category) => ("p.category = ?1", vec![Value::from(category)]),
            Self::All => ("1 = 1", Vec::new()),
        }
    }
}

/// Rewrites the name keys and search rows of `which` products from their
/// texts: three reads, one delete, then [`write`]'s few multi-row
/// statements, however many products. Answers how many there were.
async fn reindex(
    tx: &mut dyn Executor,
    dialect: Dialect,
    which: Products<'_>,
) -> anyhow::Result<usize> {
    let (condition, params) = which.condition();
    let products = tx
        .query(
            &format!(
                "SELECT p.id, p.name, p.category, p.description FROM products p WHERE {condition}"
            ),
            &params,
        )
        .await?;
    let translations = tx
        .query(
            &format!(
                "SELECT t.product_id, t.lang, t.name, t.description FROM product_translations t \
                 JOIN products p ON p.id = t.product_id WHERE {condition}"
            ),
            &params,
        )
        .await?;
    let categories = tx
        .query(
            &format!(
                "SELECT c.category, c.lang, c.name FROM category_translations c \
                 WHERE c.category IN (SELECT p.category FROM products p WHERE {condition})"
            ),
            &params,
        )
        .await?;
    tx.query(&dialect.delete_search_rows(condition), &params)
        .await?;
    let texts = texts(&products, &translations, &categories)?;
    let all: Vec<(&str, &Texts)> = texts.iter().map(|(id, t)| (id.as_str(), t)).collect();
    write(tx, dialect, &all).await?;
    Ok(all.len())
}

/// Every product's texts from rows of `products` (id, name, category,
/// description), `product_translations` (product id, lang, name,
/// description) and `category_translations` (category, lang, name).
fn texts(
    products: &[Row],
    translations: &[Row],
    categories: &[Row],
) -> anyhow::Result<BTreeMap<String, Texts>> {
    let mut category_names: BTreeMap<&str, BTreeMap<Lang, String>> = BTreeMap::new();
    for row in categories {
        if let Some(lang) = Lang::from_code(row.text(1)?) {
            category_names
                .entry(row.text(0)?)
                .or_default()
                .insert(lang, row.text(2)?.to_owned());
        }
    }
    let mut all = BTreeMap::new();
    for row in products {
        let category = row.text(2)?;
        all.insert(
            row.text(0)?.to_owned(),
            Texts {
                name: row.text(1)?.to_owned(),
                category: category.to_owned(),
                description: row.text(3)?.to_owned(),
                translations: BTreeMap::new(),
                category_names: category_names.get(category).cloned().unwrap_or_default(),
            },
        );
    }
    for row in translations {
        if let (Some(texts), Some(lang)) =
            (all.get_mut(row.text(0)?), Lang::from_code(row.text(1)?))
        {
            texts
                .translations
                .insert(lang, (row.text(2)?.to_owned(), row.text(3)?.to_owned()));
        }
    }
    Ok(all)
}

/// Rows per multi-row statement of [`write`] (at most 3 values each: far
/// under SQLite's and Postgres' limits on bound values).
const CHUNK: usize = 300;

/// Writes products' name keys and their search rows (after their old rows,
/// if any, were deleted): a few multi-row statements per [`CHUNK`] products,
/// so a bulk load does not pay a round trip per row.
async fn write(
    tx: &mut dyn Executor,
    dialect: Dialect,
    all: &[(&str, &Texts)],
) -> anyhow::Result<()> {
    for chunk in all.chunks(CHUNK) {
        let names: Vec<Vec<Value>> = chunk
            .iter()
            .map(|(id, texts)| vec![Value::from(*id), Value::from(name_key(&texts.name))])
            .collect();
        let translated: Vec<Vec<Value>> = chunk
            .iter()
            .flat_map(|(id, texts)| {
                texts.translations.iter().map(|(lang, (name, _))| {
                    vec![
                        Value::from(*id),
                        Value::from(lang.code()),
                        Value::from(name_key(name)),
                    ]
                })
            })
            .collect();
        let searched: Vec<Vec<Value>> = chunk
            .iter()
            .flat_map(|(id, texts)| {
                Lang::ALL.into_iter().map(|lang| {
                    vec![
                        Value::from(*id),
                        Value::from(lang.code()),
                        Value::from(texts.tokens(lang)),
                    ]
                })
            })
            .collect();
        // `VALUES` names its columns column1, column2… on both stores.
        let (sql, params) = values(&names);
        tx.query(
            &format!(
                "UPDATE products SET name_key = v.column2 FROM (VALUES {sql}) AS v \
                 WHERE products.id = v.column1"
            ),
            &params,
        )
        .await?;
        if !translated.is_empty() {
            let (sql, params) = values(&translated);
            tx.query(
                &format!(
                    "UPDATE product_translations SET name_key = v.column3 FROM (VALUES {sql}) AS v \
                     WHERE product_translations.product_id = v.column1 \
                     AND product_translations.lang = v.column2"
                ),
                &params,
            )
            .await?;
        }
        let (sql, params) = values(&searched);
        tx.query(&dialect.insert_search_rows(&sql), &params).await?;
    }
    Ok(())
}

/// `(?1, ?2), (?3, ?4)…` for `rows` of values, and the values in order.
fn values(rows: &[Vec<Value>]) -> (String, Vec<Value>) {
    let mut n = 0;
    let tuples: Vec<String> = rows
        .iter()
        .map(|row| {
            let marks: Vec<String> = row
                .iter()
                .map(|_| {
                    n += 1;
                    format!("?{n}")
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    (tuples.join(", "), rows.iter().flatten().cloned().collect())
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

/// Recomputes every product's listing columns, availability and search
/// rows and the category counts: what a migration that changed them and a
/// bulk load (the demo seed, a generated catalog, a copied store) run once
/// at their end.
pub async fn rebuild(tx: &mut dyn Executor, dialect: Dialect) -> anyhow::Result<()> {
    // Availability too: a bulk load may have held back the trigger that
    // keeps it on each write of a shelf.
    tx.query(
        "UPDATE products SET \
             price_from = (SELECT MIN(v.price_cents) FROM variants v WHERE v.product_id = products.id), \
             available = CASE WHEN (SELECT MAX(s.on_hand - s.reserved) FROM variants v \
                 JOIN stock s ON s.sku = v.sku WHERE v.product_id = products.id) > 0 THEN 1 ELSE 0 END",
        &[],
    )
    .await?;
    reindex(tx, dialect, Products::All).await?;
    recount(tx).await
}

/// Postgres: holds back the trigger that keeps each product's availability
/// on every insert of shelves, for a bulk load in `tx` (run once per
/// inserting statement over tables the planner has no statistics of yet,
/// it costs seconds per statement). The load ends with
/// [`resume_availability`], then [`rebuild`]. SQLite's per-row trigger is
/// cheap and stays.
pub async fn hold_availability(tx: &mut dyn Executor, dialect: Dialect) -> anyhow::Result<()> {
    if dialect == Dialect::Postgres {
        tx.query(
            "ALTER TABLE stock DISABLE TRIGGER stock_inserted_availability",
            &[],
        )
        .await?;
    }
    Ok(())
}

/// Ends [`hold_availability`].
pub async fn resume_availability(tx: &mut dyn Executor, dialect: Dialect) -> anyhow::Result<()> {
    if dialect == Dialect::Postgres {
        tx.query(
            "ALTER TABLE stock ENABLE TRIGGER stock_inserted_availability",
            &[],
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_folded_and_each_language_reads_its_own_texts() {
        assert_eq!(
            search_tokens(&["T-shirt en lin", "Hauts", "Lin lavé, l'été."]),
            "tshirt en lin haut lin lave l ete"
        );
        assert_eq!(name_key("Écharpe en laine"), "echarpe en laine");
        let mut texts = Texts {
            name: "Sweat à capuche".into(),
            category: "Maille".into(),
            description: "Capuche doublée.".into(),
            ..Texts::default()
        };
        // Untranslated: French in every language.
        assert_eq!(texts.tokens(Lang::En), texts.tokens(Lang::Fr));
        texts.category_names.insert(Lang::En, "Knitwear".into());
        assert_eq!(
            texts.tokens(Lang::En),
            "sweat a capuche knitwear capuche doublee"
        );
        texts
            .translations
            .insert(Lang::En, ("Hooded sweatshirt".into(), "Lined hood.".into()));
        assert_eq!(
            texts.tokens(Lang::En),
            "hooded sweatshirt knitwear lined hood"
        );
        assert_eq!(
            texts.tokens(Lang::Fr),
            "sweat a capuche maille capuche doublee"
        );
        // An empty translated description reads the French one.
        texts
            .translations
            .insert(Lang::En, ("Hoodie".into(), String::new()));
        assert_eq!(texts.tokens(Lang::En), "hoodie knitwear capuche doublee");
    }
}
