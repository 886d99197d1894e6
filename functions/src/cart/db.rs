//! Cart SQL and pricing.

use anyhow::Context as _;
use comptoir_shared::Money;
use comptoir_shared::cart::{Cart, CartLine, RefusedCode};
use comptoir_shared::catalog::{Availability, options_label};
use comptoir_shared::ids::{CartId, ProductId, PromoCode, Quantity, Sku};
use comptoir_shared::lang::Lang;
use comptoir_shared::pricing::{QuoteLine, ShippingMethodCode, TaxClass};

use crate::params;
use crate::port::Executor;
use crate::promotions;

/// A cart line with what pricing and reservation need.
#[derive(Debug, Clone)]
pub struct CartLineRow {
    /// The priced line.
    pub line: CartLine,
    /// Units available now.
    pub available: i64,
    /// The product's VAT class.
    pub tax_class: TaxClass,
}

impl CartLineRow {
    /// The line as pricing sees it.
    pub fn quote_line(&self) -> QuoteLine {
        QuoteLine {
            line_total: self.line.line_total,
            tax_class: self.tax_class,
        }
    }
}

/// Whether the cart exists.
pub async fn exists(db: &mut dyn Executor, id: &CartId) -> anyhow::Result<bool> {
    Ok(db
        .optional("SELECT 1 FROM carts WHERE id = ?1", params![id.as_str()])
        .await?
        .is_some())
}

/// The cart's lines at today's prices, in the order they were added, with
/// product names in `lang` (French where untranslated).
pub async fn lines(
    db: &mut dyn Executor,
    id: &CartId,
    lang: Lang,
) -> anyhow::Result<Vec<CartLineRow>> {
    let rows = db
        .query(
            "SELECT l.sku, l.quantity, p.id, COALESCE(t.name, p.name), p.image, v.size, v.colour, v.price_cents, \
                    s.on_hand - s.reserved, s.low_threshold, p.tax_class \
             FROM cart_lines l JOIN variants v ON v.sku = l.sku JOIN products p ON p.id = v.product_id \
             JOIN stock s ON s.sku = l.sku \
             LEFT JOIN product_translations t ON t.product_id = p.id AND t.lang = ?2 \
             WHERE l.cart_id = ?1 ORDER BY l.added_at, l.sku",
            params![id.as_str(), lang.code()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let quantity = Quantity::parse(r.int(1)?).context("stored cart quantity")?;
            let unit_price = Money::eur(r.int(7)?);
            let available = r.int(8)?;
            Ok(CartLineRow {
                line: CartLine {
                    sku: r.parse(0, Sku::parse)?,
                    product_id: r.parse(2, ProductId::parse)?,
                    product_name: r.text(3)?.to_owned(),
                    variant_label: options_label(r.opt_text(6)?, r.opt_text(5)?),
                    image: r.text(4)?.to_owned(),
                    unit_price,
                    quantity,
                    line_total: unit_price
                        .checked_mul(quantity.get())
                        .context("line total overflows")?,
                    availability: Availability::from_stock(available, r.int(9)?),
                },
                available,
                tax_class: TaxClass::parse(r.text(10)?).context("stored tax class")?,
            })
        })
        .collect()
}

/// The promotion codes added to the cart, oldest first.
pub async fn codes(db: &mut dyn Executor, id: &CartId) -> anyhow::Result<Vec<PromoCode>> {
    db.query(
        "SELECT code FROM cart_promotions WHERE cart_id = ?1 ORDER BY added_at, code",
        params![id.as_str()],
    )
    .await?
    .iter()
    .map(|r| r.parse(0, PromoCode::parse))
    .collect()
}

/// The cart as the shopper sees it in `lang`, priced by the shared rules
/// with its codes and standard shipping.
pub async fn priced(
    db: &mut dyn Executor,
    id: &CartId,
    lang: Lang,
    now_ms: i64,
) -> anyhow::Result<Cart> {
    priced_with(
        db,
        id,
        ShippingMethodCode::default(),
        promotions::Destination::FRANCE,
        lang,
        now_ms,
    )
    .await
}

/// The cart priced with a chosen shipping method (one that delivers `to`).
pub async fn priced_with(
    db: &mut dyn Executor,
    id: &CartId,
    shipping: ShippingMethodCode,
    to: promotions::Destination<'_>,
    lang: Lang,
    now_ms: i64,
) -> anyhow::Result<Cart> {
    let rows = lines(db, id, lang).await?;
    let codes = codes(db, id).await?;
    let quote_lines: Vec<QuoteLine> = rows.iter().map(CartLineRow::quote_line).collect();
    let quote = promotions::quote(db, &quote_lines, &codes, shipping, to, None, now_ms).await?;
    let lines: Vec<CartLine> = rows.into_iter().map(|r| r.line).collect();
    Ok(Cart {
        id: id.clone(),
        item_count: lines.iter().map(|l| l.quantity.get()).sum(),
        lines,
        totals: quote.totals,
        promo_codes: quote.applied,
        refused_codes: quote
            .refused
            .into_iter()
            .map(|(code, refusal)| RefusedCode { code, refusal })
            .collect(),
    })
}
