//! A generated catalog for scale: `N` products of ten variants each, with
//! realistic French names built from combinations (garment, material,
//! style, collection), their categories, prices and stock: what the
//! benchmark and the scale test list and search (`seed-catalog --products
//! 10000`: 10 000 products, 100 000 variants).
//!
//! Deterministic: product `i` is always the same, so [`model`] is also the
//! expected answer a test checks the shop against. [`fill`] writes it in one
//! transaction of multi-row `INSERT`s with bound values (10 000 products,
//! 100 000 variants, their shelves and receipts: a few seconds), with the
//! listing columns and the search index computed as the functions compute
//! them ([`comptoir_functions::catalog::index`]).

use anyhow::Context as _;
use comptoir_functions::catalog::index;
use comptoir_functions::dialect::Dialect;
use comptoir_functions::port::{Database, Executor, Value};

/// Garments: name, category, SKU code, base price in cents.
const GARMENTS: [(&str, &str, &str, i64); 12] = [
    ("Chemise", "Hauts", "CH", 5900),
    ("T-shirt", "Hauts", "TS", 2500),
    ("Polo", "Hauts", "PO", 3900),
    ("Pull", "Maille", "PU", 7900),
    ("Cardigan", "Maille", "CA", 8500),
    ("Sweat-shirt", "Maille", "SW", 5900),
    ("Pantalon", "Bas", "PA", 6900),
    ("Jupe", "Bas", "JU", 5500),
    ("Robe", "Robes", "RO", 7900),
    ("Veste", "Vestes", "VE", 12900),
    ("Écharpe", "Accessoires", "EC", 3500),
    ("Bottines", "Chaussures", "BO", 13900),
];

/// Materials: as named, what the description says, surcharge in cents.
const MATERIALS: [(&str, &str, i64); 10] = [
    ("en lin", "Lin lavé, léger pour l'été", 1000),
    ("en coton bio", "Coton biologique peigné", 0),
    (
        "en laine mérinos",
        "Mérinos extra-fin, chaud sans gratter",
        2500,
    ),
    ("en velours", "Velours côtelé de coton", 1500),
    ("en denim", "Denim 13 oz, tissé au Portugal", 1200),
    ("en soie", "Soie lavée, tombé fluide", 4000),
    ("en cachemire", "Cachemire de Mongolie", 6000),
    ("en toile", "Toile épaisse, solide", 500),
    ("en flanelle", "Flanelle brossée, douce", 1500),
    ("en cuir", "Cuir pleine fleur, tanné végétal", 5000),
];

/// Styles, appended to the name.
const STYLES: [&str; 12] = [
    "d'été",
    "classique",
    "ajusté",
    "oversize",
    "à rayures",
    "brodé",
    "vintage",
    "du dimanche",
    "de travail",
    "à carreaux",
    "marinière",
    "cœur de Bretagne",
];

/// Collections, the last part of the name (12 × 10 × 12 × 8 = 11 520 names).
const COLLECTIONS: [&str; 8] = [
    "Biarritz",
    "Saint-Malo",
    "Annecy",
    "Colmar",
    "Arles",
    "Étretat",
    "Quimper",
    "Menton",
];

/// Colours: as shown, SKU code.
const COLOURS: [(&str, &str); 8] = [
    ("Bleu", "BLEU"),
    ("Blanc", "BLANC"),
    ("Noir", "NOIR"),
    ("Rouge", "ROUGE"),
    ("Vert", "VERT"),
    ("Écru", "ECRU"),
    ("Marine", "MARINE"),
    ("Camel", "CAMEL"),
];

const SIZES: [&str; 5] = ["XS", "S", "M", "L", "XL"];

/// One generated variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedVariant {
    /// `G00042-BLEU-M`.
    pub sku: String,
    /// Size.
    pub size: &'static str,
    /// Colour.
    pub colour: &'static str,
    /// Price, cents.
    pub price_cents: i64,
    /// Units on hand (nothing reserved).
    pub on_hand: i64,
}

/// One generated product, as the shop should list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedProduct {
    /// `gen-00042`.
    pub id: String,
    /// `Chemise en lin d'été Biarritz`.
    pub name: String,
    /// Category name.
    pub category: &'static str,
    /// Longer text.
    pub description: String,
    /// Its ten variants.
    pub variants: Vec<GeneratedVariant>,
}

impl GeneratedProduct {
    /// The lowest variant price.
    pub fn price_from(&self) -> i64 {
        self.variants
            .iter()
            .map(|v| v.price_cents)
            .min()
            .unwrap_or(0)
    }

    /// Whether any unit can be bought.
    pub fn in_stock(&self) -> bool {
        self.variants.iter().any(|v| v.on_hand > 0)
    }
}

/// A small deterministic hash (splitmix64) of `i`, for prices and stock.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Product `i` of every generated catalog.
pub fn product(i: usize) -> GeneratedProduct {
    let (garment, category, code, base) = GARMENTS[i % GARMENTS.len()];
    let rest = i / GARMENTS.len();
    let (material, fabric, surcharge) = MATERIALS[rest % MATERIALS.len()];
    let rest = rest / MATERIALS.len();
    let style = STYLES[rest % STYLES.len()];
    let collection = COLLECTIONS[(rest / STYLES.len()) % COLLECTIONS.len()];
    let hash = mix(i as u64);
    // Prices from the garment and the material, give or take, in whole euros.
    let price = base + surcharge + i64::try_from(hash % 21).unwrap_or(0) * 100 - 1000;
    // One product in nine is sold out; otherwise some shelves are empty.
    let sold_out = hash.is_multiple_of(9);
    let first_colour = usize::try_from((hash >> 8) % COLOURS.len() as u64).unwrap_or(0);
    let mut variants = Vec::with_capacity(10);
    for c in 0..2 {
        let (colour, colour_code) = COLOURS[(first_colour + c * 3) % COLOURS.len()];
        for (s, size) in SIZES.iter().enumerate() {
            let n = (c * SIZES.len() + s) as u64;
            let stock_hash = mix(hash ^ n);
            let on_hand = if sold_out || stock_hash.is_multiple_of(5) {
                0
            } else {
                i64::try_from(stock_hash % 60).unwrap_or(0) + 1
            };
            variants.push(GeneratedVariant {
                sku: format!("G{code}{i:05}-{colour_code}-{size}"),
                size,
                colour,
                price_cents: price + if *size == "XL" { 500 } else { 0 },
                on_hand,
            });
        }
    }
    GeneratedProduct {
        id: format!("gen-{i:05}"),
        name: format!("{garment} {material} {style} {collection}"),
        category,
        description: format!("{fabric}. Collection {collection}, pièce n° {i}."),
        variants,
    }
}

/// The first `n` generated products.
pub fn model(n: usize) -> Vec<GeneratedProduct> {
    (0..n).map(product).collect()
}

/// At most this many rows per `INSERT`, and this many bound values.
const ROWS_PER_INSERT: usize = 500;
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` (each `columns` long) into `table`, in multi-row `INSERT`s.
async fn insert_rows(
    tx: &mut dyn Executor,
    table: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Value>>,
) -> anyhow::Result<()> {
    let per_insert = (MAX_PARAMS / columns.len()).min(ROWS_PER_INSERT);
    let rows: Vec<Vec<Value>> = rows.collect();
    for chunk in rows.chunks(per_insert) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (r, _) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                n += 1;
                sql.push_str(&format!("{}?{n}", if c == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        tx.query(&sql, &params)
            .await
            .with_context(|| format!("inserting into {table}"))?;
    }
    Ok(())
}

/// Adds the first `n` generated products (after the store's own, in the
/// shop's order) to a migrated store, in one transaction, search index
/// included. Returns them.
pub async fn fill(db: &dyn Database, n: usize) -> anyhow::Result<Vec<GeneratedProduct>> {
    let products = model(n);
    let mut tx = db.begin().await?;
    let first = tx
        .one("SELECT COALESCE(MAX(position), -1) + 1 FROM products", &[])
        .await?
        .int(0)?;
    let text = |s: &str| Value::Text(s.to_owned());
    insert_rows(
        tx.as_mut(),
        "products",
        &[
            "id",
            "name",
            "description",
            "category",
            "image",
            "position",
            "published",
        ],
        products.iter().zip(first..).map(|(p, position)| {
            vec![
                text(&p.id),
                text(&p.name),
                text(&p.description),
                text(p.category),
                text("/img/products/t-shirt-lin.svg"),
                Value::Integer(position),
                Value::Integer(1),
            ]
        }),
    )
    .await?;
    let variants = || {
        products
            .iter()
            .flat_map(|p| p.variants.iter().enumerate().map(move |(i, v)| (p, i, v)))
    };
    insert_rows(
        tx.as_mut(),
        "variants",
        &[
            "sku",
            "product_id",
            "size",
            "colour",
            "price_cents",
            "position",
        ],
        variants().map(|(p, i, v)| {
            vec![
                text(&v.sku),
                text(&p.id),
                text(v.size),
                text(v.colour),
                Value::Integer(v.price_cents),
                Value::Integer(i64::try_from(i).unwrap_or(0)),
            ]
        }),
    )
    .await?;
    // Postgres' availability trigger would run per insert: computed once
    // by `index::rebuild` at the end instead.
    index::hold_availability(tx.as_mut(), db.dialect()).await?;
    insert_rows(
        tx.as_mut(),
        "stock",
        &["sku", "on_hand", "low_threshold"],
        variants()
            .map(|(_, _, v)| vec![text(&v.sku), Value::Integer(v.on_hand), Value::Integer(3)]),
    )
    .await?;
    // Every unit on a shelf came in through a receipt, as in the demo seed.
    insert_rows(
        tx.as_mut(),
        "stock_movements",
        &["id", "sku", "kind", "quantity", "note", "at"],
        variants()
            .filter(|(_, _, v)| v.on_hand > 0)
            .map(|(_, _, v)| {
                vec![
                    text(&format!("seed-{}", v.sku)),
                    text(&v.sku),
                    text("receipt"),
                    Value::Integer(v.on_hand),
                    text("generated catalog"),
                    Value::Integer(0),
                ]
            }),
    )
    .await?;
    index::resume_availability(tx.as_mut(), db.dialect()).await?;
    index::rebuild(tx.as_mut(), db.dialect()).await?;
    tx.commit()
        .await
        .context("committing the generated catalog")?;
    if db.dialect() == Dialect::Postgres {
        // Statistics for the planner now, rather than after autovacuum's turn.
        db.query("VACUUM ANALYZE products, variants, stock", &[])
            .await?;
    }
    Ok(products)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_is_deterministic_and_every_id_valid() {
        let products = model(11_520);
        assert_eq!(products[42], product(42));
        let mut ids: Vec<&str> = products.iter().map(|p| p.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 11_520);
        let mut names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 11_520, "every combination once");
        for p in products.iter().take(500) {
            assert!(comptoir_shared::ids::ProductId::parse(&p.id).is_ok());
            for v in &p.variants {
                assert!(
                    comptoir_shared::ids::Sku::parse(&v.sku).is_ok(),
                    "{}",
                    v.sku
                );
                assert!(v.price_cents > 0);
            }
        }
        assert!(products.iter().any(|p| !p.in_stock()));
        assert!(products.iter().filter(|p| p.in_stock()).count() > 10_000);
    }
}
