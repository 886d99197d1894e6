//! Catalog SQL for admins: every product with its variants and shelves, and
//! the writes behind the admin routes.

use std::collections::BTreeMap;

use anyhow::Context as _;
use comptoir_shared::Money;
use comptoir_shared::catalog_admin::{
    AdminCategory, AdminProduct, AdminVariant, Description, Label, ProductInput, ProductText,
    VariantInput,
};
use comptoir_shared::ids::{ProductId, Sku};
use comptoir_shared::lang::Lang;
use comptoir_shared::pricing::TaxClass;

use crate::params;
use crate::port::{Executor, Value};

/// The products `condition` keeps (a condition on `products p`, its values
/// `params`), published or not, in listing order, each with its variants,
/// shelves and translations: three statements, however many products.
async fn assemble(
    db: &mut dyn Executor,
    condition: &str,
    params: &[Value],
) -> anyhow::Result<Vec<AdminProduct>> {
    let rows = db
        .query(
            &format!(
                "SELECT p.id, p.name, p.description, p.category, p.image, p.tax_class, p.published, \
                        p.position FROM products p WHERE {condition} ORDER BY p.position, p.id"
            ),
            params,
        )
        .await?;
    let mut variants: BTreeMap<String, Vec<AdminVariant>> = BTreeMap::new();
    for v in db
        .query(
            &format!(
                "SELECT v.product_id, v.sku, v.size, v.colour, v.price_cents, v.position, \
                        COALESCE(s.on_hand, 0), COALESCE(s.reserved, 0) \
                 FROM variants v LEFT JOIN stock s ON s.sku = v.sku \
                 WHERE v.product_id IN (SELECT p.id FROM products p WHERE {condition}) \
                 ORDER BY v.product_id, v.position, v.sku"
            ),
            params,
        )
        .await?
    {
        variants
            .entry(v.text(0)?.to_owned())
            .or_default()
            .push(AdminVariant {
                sku: v.parse(1, Sku::parse)?,
                size: v.opt_text(2)?.map(str::to_owned),
                colour: v.opt_text(3)?.map(str::to_owned),
                price: Money::eur(v.int(4)?),
                position: v.int(5)?,
                on_hand: v.int(6)?,
                reserved: v.int(7)?,
            });
    }
    let mut translations: BTreeMap<String, BTreeMap<Lang, ProductText>> = BTreeMap::new();
    for t in db
        .query(
            &format!(
                "SELECT t.product_id, t.lang, t.name, t.description FROM product_translations t \
                 WHERE t.product_id IN (SELECT p.id FROM products p WHERE {condition})"
            ),
            params,
        )
        .await?
    {
        let Some(lang) = Lang::from_code(t.text(1)?) else {
            continue;
        };
        let text = ProductText {
            name: Label::parse(t.text(2)?).context("stored translated name")?,
            description: Description::parse(t.text(3)?).context("stored translated description")?,
        };
        translations
            .entry(t.text(0)?.to_owned())
            .or_default()
            .insert(lang, text);
    }
    rows.iter()
        .map(|r| {
            let id = r.parse(0, ProductId::parse)?;
            Ok(AdminProduct {
                name: r.text(1)?.to_owned(),
                description: r.text(2)?.to_owned(),
                category: r.text(3)?.to_owned(),
                image: r.text(4)?.to_owned(),
                tax_class: TaxClass::parse(r.text(5)?).context("stored tax class")?,
                published: r.int(6)? != 0,
                position: r.int(7)?,
                translations: translations.remove(id.as_str()).unwrap_or_default(),
                variants: variants.remove(id.as_str()).unwrap_or_default(),
                id,
            })
        })
        .collect()
}

/// Every product, published or not, in listing order.
pub async fn products(db: &mut dyn Executor) -> anyhow::Result<Vec<AdminProduct>> {
    assemble(db, "1 = 1", &[]).await
}

/// One product, published or not.
pub async fn product_by_id(
    db: &mut dyn Executor,
    id: &ProductId,
) -> anyhow::Result<Option<AdminProduct>> {
    Ok(assemble(db, "p.id = ?1", params![id.as_str()])
        .await?
        .into_iter()
        .next())
}

/// Creates the product or replaces its fields (the position is kept when
/// not given; a new product goes last).
pub async fn save_product(
    tx: &mut dyn Executor,
    id: &ProductId,
    input: &ProductInput,
    exists: bool,
) -> anyhow::Result<()> {
    let position = input.position.map(i64::from);
    if exists {
        tx.query(
            "UPDATE products SET name = ?2, description = ?3, category = ?4, image = ?5, tax_class = ?6, \
                 published = ?7, position = COALESCE(?8, position) WHERE id = ?1",
            params![
                id.as_str(),
                input.name.as_str(),
                input.description.as_str(),
                input.category.as_str(),
                input.image.as_str(),
                input.tax_class.as_str(),
                input.published,
                position
            ],
        )
        .await?;
    } else {
        tx.query(
            "INSERT INTO products (id, name, description, category, image, tax_class, published, position) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, COALESCE(?8, COALESCE(MAX(position), -1) + 1) FROM products",
            params![
                id.as_str(),
                input.name.as_str(),
                input.description.as_str(),
                input.category.as_str(),
                input.image.as_str(),
                input.tax_class.as_str(),
                input.published,
                position
            ],
        )
        .await?;
    }
    tx.query(
        "DELETE FROM product_translations WHERE product_id = ?1",
        params![id.as_str()],
    )
    .await?;
    for (lang, text) in &input.translations {
        // `name_key` is set by the index refresh that follows every save.
        tx.query(
            "INSERT INTO product_translations (product_id, lang, name, description) \
             VALUES (?1, ?2, ?3, ?4)",
            params![
                id.as_str(),
                lang.code(),
                text.name.as_str(),
                text.description.as_str()
            ],
        )
        .await?;
    }
    Ok(())
}

/// Every category a product names (published or not), with its product
/// count and translations, in the shop's order.
pub async fn categories(db: &mut dyn Executor) -> anyhow::Result<Vec<AdminCategory>> {
    categories_where(db, "1 = 1", &[]).await
}

/// The category `name`, if a product names it.
pub async fn category(db: &mut dyn Executor, name: &str) -> anyhow::Result<Option<AdminCategory>> {
    Ok(categories_where(db, "category = ?1", params![name])
        .await?
        .into_iter()
        .next())
}

/// The categories that `condition` (on `category`) keeps.
async fn categories_where(
    db: &mut dyn Executor,
    condition: &str,
    params: &[Value],
) -> anyhow::Result<Vec<AdminCategory>> {
    let rows = db
        .query(
            &format!(
                "SELECT category, COUNT(*) FROM products WHERE {condition} \
                 GROUP BY category ORDER BY MIN(position), category"
            ),
            params,
        )
        .await?;
    let translations = db
        .query(
            &format!("SELECT category, lang, name FROM category_translations WHERE {condition}"),
            params,
        )
        .await?;
    rows.iter()
        .map(|r| {
            let name = r.text(0)?;
            let mut names = BTreeMap::new();
            for t in &translations {
                if t.text(0)? == name
                    && let Some(lang) = Lang::from_code(t.text(1)?)
                {
                    names.insert(lang, t.text(2)?.to_owned());
                }
            }
            Ok(AdminCategory {
                name: name.to_owned(),
                products: u32::try_from(r.int(1)?)?,
                translations: names,
            })
        })
        .collect()
}

/// Replaces a category's translations.
pub async fn save_category(
    tx: &mut dyn Executor,
    category: &str,
    translations: &BTreeMap<Lang, Label>,
) -> anyhow::Result<()> {
    tx.query(
        "DELETE FROM category_translations WHERE category = ?1",
        params![category],
    )
    .await?;
    for (lang, name) in translations {
        tx.query(
            "INSERT INTO category_translations (category, lang, name) VALUES (?1, ?2, ?3)",
            params![category, lang.code(), name.as_str()],
        )
        .await?;
    }
    Ok(())
}

/// How many variants a product has (a product is published only with some).
pub async fn variant_count(db: &mut dyn Executor, id: &ProductId) -> anyhow::Result<i64> {
    db.one(
        "SELECT COUNT(*) FROM variants WHERE product_id = ?1",
        params![id.as_str()],
    )
    .await?
    .int(0)
}

/// The product a SKU belongs to, if the SKU exists.
pub async fn owner_of(db: &mut dyn Executor, sku: &Sku) -> anyhow::Result<Option<ProductId>> {
    db.optional(
        "SELECT product_id FROM variants WHERE sku = ?1",
        params![sku.as_str()],
    )
    .await?
    .map(|r| r.parse(0, ProductId::parse))
    .transpose()
}

/// Creates the variant with an empty shelf, or changes it.
pub async fn save_variant(
    tx: &mut dyn Executor,
    product: &ProductId,
    sku: &Sku,
    input: &VariantInput,
    exists: bool,
) -> anyhow::Result<()> {
    let size = input.size.as_ref().map(|s| s.as_str());
    let colour = input.colour.as_ref().map(|c| c.as_str());
    if exists {
        tx.query(
            "UPDATE variants SET size = ?2, colour = ?3, price_cents = ?4, position = ?5 WHERE sku = ?1",
            params![sku.as_str(), size, colour, input.price.amount, input.position],
        )
        .await?;
    } else {
        tx.query(
            "INSERT INTO variants (sku, product_id, size, colour, price_cents, currency, position) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'EUR', ?6)",
            params![
                sku.as_str(),
                product.as_str(),
                size,
                colour,
                input.price.amount,
                input.position
            ],
        )
        .await?;
        tx.query(
            "INSERT INTO stock (sku, on_hand, reserved) VALUES (?1, 0, 0)",
            params![sku.as_str()],
        )
        .await?;
    }
    Ok(())
}
