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

use axum::Router;
use axum::routing::{get, post};

use crate::port::Host;

/// The stock routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/stock", get(levels::handle))
        .route("/api/stock/{sku}/movements", get(movements::handle))
        .route("/api/stock/{sku}/receipts", post(receive::handle))
        .route("/api/stock/{sku}/adjustments", post(adjust::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}

/// The SKU in the path, or 404.
fn sku(raw: &str) -> Result<comptoir_shared::ids::Sku, comptoir_shared::ApiError> {
    comptoir_shared::ids::Sku::parse(raw).map_err(|_| comptoir_shared::ApiError::not_found("sku"))
}
