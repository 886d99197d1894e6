//! What `/sitemap.xml` lists: every published product, its category and
//! when it last changed.

use comptoir_shared::ids::ProductId;

use crate::port::Host;

/// A published product as the sitemap lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its slug.
    pub id: ProductId,
    /// Its category.
    pub category: String,
    /// When it last changed (Unix ms; 0: unknown).
    pub updated_at: i64,
}

/// Published products, in the shop's order.
pub async fn published(host: &Host) -> anyhow::Result<Vec<Listed>> {
    let rows = host
        .db
        .query(
            "SELECT id, category, updated_at FROM products WHERE published = 1 ORDER BY position, id",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let id = ProductId::parse(row.text(0)?)
                .map_err(|_| anyhow::anyhow!("a stored product id does not parse"))?;
            Ok(Listed {
                id,
                category: row.text(1)?.to_owned(),
                updated_at: row.int(2)?,
            })
        })
        .collect()
}
