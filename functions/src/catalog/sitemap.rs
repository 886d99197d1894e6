//! What `/sitemap.xml` lists: every published product, and its category.

use comptoir_shared::ids::ProductId;

use crate::port::Host;

/// Published products (slug, category), in the shop's order.
pub async fn published(host: &Host) -> anyhow::Result<Vec<(ProductId, String)>> {
    let rows = host
        .db
        .query(
            "SELECT id, category FROM products WHERE published = 1 ORDER BY position, id",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let id = ProductId::parse(row.text(0)?)
                .map_err(|_| anyhow::anyhow!("a stored product id does not parse"))?;
            Ok((id, row.text(1)?.to_owned()))
        })
        .collect()
}
