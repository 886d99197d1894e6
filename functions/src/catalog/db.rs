//! Catalog SQL.

use comptoir_shared::Money;
use comptoir_shared::catalog::{Availability, CategoryCount, ProductSort, ProductSummary, Variant};
use comptoir_shared::ids::{ProductId, Sku};
use comptoir_shared::lang::Lang;

use crate::dialect::Dialect;
use crate::params;
use crate::port::{Executor, Row, Value};

/// A listing's filters, as bound to [`page`] and [`category_counts`], and
/// the language it names products and categories in.
pub struct Filters<'a> {
    /// [`Dialect::search_terms`] of the query's tokens; `None`: no search.
    pub search: Option<&'a str>,
    /// Lowest `price_from`, minor units.
    pub min_price: Option<i64>,
    /// Highest `price_from`, minor units.
    pub max_price: Option<i64>,
    /// Only products with a variant available now.
    pub in_stock: bool,
    /// Names in this language (French where untranslated); not a filter.
    pub lang: Lang,
}

/// `FROM … WHERE …` of the published products `filters` keep, bound as
/// [`bind`] lists them (`?1` and `?2`, and the search as `?{search_param}`):
/// what the page and the counts share. A product without variants is never
/// listed. Availability is live: `products.available`, kept by the store on
/// every write of a shelf (a variant whose stock is all reserved cannot be
/// bought).
fn matching(dialect: Dialect, filters: &Filters<'_>, search_param: u8) -> String {
    let (from, search) = match filters.search {
        Some(_) => dialect.product_search(filters.lang),
        None => ("products p".to_owned(), String::new()),
    };
    let mut sql = format!(
        "{from} WHERE p.published = 1 AND p.price_from IS NOT NULL \
         AND (CAST(?1 AS BIGINT) IS NULL OR p.price_from >= ?1) \
         AND (CAST(?2 AS BIGINT) IS NULL OR p.price_from <= ?2)"
    );
    if filters.in_stock {
        sql.push_str(" AND p.available = 1");
    }
    if !search.is_empty() {
        sql.push_str(" AND ");
        sql.push_str(&search.replace("?1", &format!("?{search_param}")));
    }
    sql
}

/// The values of [`matching`]'s `?1` and `?2`: the price bounds (the
/// search, if any, is bound last by each query).
fn bind(filters: &Filters<'_>) -> Vec<Value> {
    vec![
        filters.min_price.map_or(Value::Null, Value::Integer),
        filters.max_price.map_or(Value::Null, Value::Integer),
    ]
}

/// One page of the published products `filters` keep in `category` (empty:
/// all), in `sort` order (ties in the shop's order), with their lowest
/// price and whether any unit is available, named in the filters'
/// language: one indexed query.
pub async fn page(
    db: &mut dyn Executor,
    dialect: Dialect,
    filters: &Filters<'_>,
    category: &str,
    sort: ProductSort,
    limit: u32,
    offset: u64,
) -> anyhow::Result<Vec<ProductSummary>> {
    // A to Z in French follows an index; in another language, by the
    // translated name where there is one.
    let lang = filters.lang;
    let name_key = match lang {
        Lang::Fr => "p.name_key",
        _ => {
            "COALESCE((SELECT t.name_key FROM product_translations t \
                       WHERE t.product_id = p.id AND t.lang = ?6), p.name_key)"
        }
    };
    let order = |name_key: &str| match sort {
        ProductSort::Featured => "p.position, p.id".to_owned(),
        ProductSort::PriceAsc => "p.price_from, p.position, p.id".to_owned(),
        ProductSort::PriceDesc => "p.price_from DESC, p.position, p.id".to_owned(),
        ProductSort::Name => format!("{name_key}, p.position, p.id"),
    };
    // The statement is assembled from constant parts only; every value is
    // bound. Translations are asked of the page's rows only, outside the
    // ordered, limited selection (else a planner may join them for every
    // product it sorts).
    let sql = format!(
        "SELECT p.id, COALESCE(t.name, p.name), p.category, COALESCE(c.name, p.category), \
                p.image, p.price_from, p.available \
         FROM (SELECT p.id, p.name, p.category, p.image, p.price_from, p.available, p.position, \
                      {name_key} AS sort_name \
               FROM {} AND (?3 = '' OR p.category = ?3) \
               ORDER BY {} LIMIT ?4 OFFSET ?5) p \
         {TRANSLATED} ORDER BY {}",
        matching(dialect, filters, 7),
        order(name_key),
        order("p.sort_name"),
        TRANSLATED = translated("?6"),
    );
    let mut params = bind(filters);
    params.extend([
        Value::Text(category.to_owned()),
        Value::from(i64::from(limit)),
        Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)),
        Value::Text(lang.code().to_owned()),
    ]);
    params.extend(filters.search.map(|s| Value::Text(s.to_owned())));
    let rows = db.query(&sql, &params).await?;
    rows.iter()
        .map(|r| {
            Ok(ProductSummary {
                id: r.parse(0, ProductId::parse)?,
                name: r.text(1)?.to_owned(),
                category: r.text(2)?.to_owned(),
                category_label: r.text(3)?.to_owned(),
                image: r.text(4)?.to_owned(),
                price_from: Money::eur(r.int(5)?),
                in_stock: r.int(6)? != 0,
            })
        })
        .collect()
}

/// The joins that name product `p` and its category in the language bound
/// as `param`: `t` (the product's translation) and `c` (the category's), to
/// be read with French as the fallback (`COALESCE(t.name, p.name)`).
fn translated(param: &str) -> String {
    format!(
        "LEFT JOIN product_translations t ON t.product_id = p.id AND t.lang = {param} \
         LEFT JOIN category_translations c ON c.category = p.category AND c.lang = {param}"
    )
}

/// How many products are listed in each category, unfiltered, in the order
/// the categories first appear in the shop, named in `lang`: a handful of
/// rows kept by [`super::index`].
pub async fn listed_per_category(
    db: &mut dyn Executor,
    lang: Lang,
) -> anyhow::Result<Vec<CategoryCount>> {
    let rows = db
        .query(
            "SELECT g.category, COALESCE(c.name, g.category), g.products FROM catalog_categories g \
             LEFT JOIN category_translations c ON c.category = g.category AND c.lang = ?1 \
             ORDER BY g.first_position, g.category",
            params![lang.code()],
        )
        .await?;
    counts(&rows)
}

/// How many published products `filters` keep in each category, in the
/// order the categories first appear in the shop, named in the filters'
/// language: one grouped query.
pub async fn category_counts(
    db: &mut dyn Executor,
    dialect: Dialect,
    filters: &Filters<'_>,
) -> anyhow::Result<Vec<CategoryCount>> {
    let sql = format!(
        "SELECT g.category, COALESCE(c.name, g.category), g.n FROM \
             (SELECT p.category, COUNT(*) AS n, MIN(p.position) AS first_position FROM {} \
              GROUP BY p.category) g \
         LEFT JOIN category_translations c ON c.category = g.category AND c.lang = ?3 \
         ORDER BY g.first_position, g.category",
        matching(dialect, filters, 4)
    );
    let mut params = bind(filters);
    params.push(Value::Text(filters.lang.code().to_owned()));
    params.extend(filters.search.map(|s| Value::Text(s.to_owned())));
    let rows = db.query(&sql, &params).await?;
    counts(&rows)
}

/// `(category, label, count)` rows as the listing's counts.
fn counts(rows: &[Row]) -> anyhow::Result<Vec<CategoryCount>> {
    rows.iter()
        .map(|r| {
            Ok(CategoryCount {
                name: r.text(0)?.to_owned(),
                label: r.text(1)?.to_owned(),
                count: u32::try_from(r.int(2)?)?,
            })
        })
        .collect()
}

/// A published product's own fields in `lang` (French where untranslated):
/// name, description, category key, category name, image.
pub async fn product(
    db: &mut dyn Executor,
    id: &ProductId,
    lang: Lang,
) -> anyhow::Result<Option<Row>> {
    db.optional(
        &format!(
            "SELECT COALESCE(t.name, p.name), COALESCE(NULLIF(t.description, ''), p.description), \
                    p.category, COALESCE(c.name, p.category), p.image \
             FROM products p {} WHERE p.id = ?1 AND p.published = 1",
            translated("?2")
        ),
        params![id.as_str(), lang.code()],
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
