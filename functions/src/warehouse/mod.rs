//! The warehouse's view of stock (the shelf itself is [`crate::stock`]):
//! levels per SKU with low-stock flags, the movement ledger, receipts and
//! adjustments — each a ledger row in the transaction that moves the stock.
//!
//! - `GET /api/stock?low=1` — levels ([`levels`])
//! - `GET /api/stock/{sku}/movements` — the ledger ([`movements`])
//! - `POST /api/stock/{sku}/receipts` — goods in ([`receive`])
//! - `POST /api/stock/{sku}/adjustments` — corrections ([`adjust`])

pub mod adjust;
pub mod levels;
pub mod movements;
pub mod receive;

// The routes are mounted with purchasing's by `crate::tables::stock`.

/// The SKU in the path, or 404.
fn sku(raw: &str) -> Result<comptoir_shared::ids::Sku, comptoir_shared::ApiError> {
    comptoir_shared::ids::Sku::parse(raw).map_err(|_| comptoir_shared::ApiError::not_found("sku"))
}

/// A receipt or an adjustment in one transaction: lapsed reservations are
/// released first (what is reserved is then as of now), then the shelf moves
/// ([`crate::stock::move_on_hand`]).
async fn move_on_hand(
    host: &crate::port::Host,
    staff: &comptoir_shared::account::Account,
    sku: &comptoir_shared::ids::Sku,
    kind: &str,
    delta: i64,
    note: &str,
) -> crate::error::AppResult<comptoir_shared::stock::StockMovement> {
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    crate::orders::expire_reservations(tx.as_mut(), now).await?;
    let movement =
        crate::stock::move_on_hand(tx.as_mut(), staff, sku, kind, delta, note, now).await?;
    tx.commit().await?;
    Ok(movement)
}
