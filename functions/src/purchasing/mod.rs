//! Purchasing: suppliers, who supplies each SKU at what cost, the stock
//! forecast per SKU ([`forecast`]: velocity, days of cover, stockout date,
//! reorder point, suggested quantity) and purchase orders drafted from its
//! suggestions, sent, received line by line and closed. The shelf itself
//! moves through [`crate::stock`]; each receipt line is also booked at cost
//! (607 / 408, [`comptoir_shared::ledger::purchase_entry`]).
//!
//! - `GET /api/stock/suppliers`, `POST` — suppliers ([`suppliers`])
//! - `PUT /api/stock/{sku}/supply` — who supplies a SKU ([`suppliers::set_supply`])
//! - `GET /api/stock/forecast` — every SKU's forecast ([`forecast::list`])
//! - `GET /api/stock/{sku}/forecast` — one SKU's history and forecast ([`forecast::detail`])
//! - `GET /api/stock/purchase-orders` — the orders ([`orders::list`])
//! - `POST /api/stock/purchase-orders` — a draft by hand ([`orders::create`])
//! - `POST /api/stock/purchase-orders/drafts` — draft from suggestions ([`orders::draft`])
//! - `GET /api/stock/purchase-orders/{id}` — one order ([`orders::get`])
//! - `POST /api/stock/purchase-orders/{id}/status` — send, close, cancel ([`status`])
//! - `POST /api/stock/purchase-orders/{id}/receipts` — goods arrived ([`receive`])

pub mod db;
pub mod forecast;
pub mod orders;
pub mod receive;
pub mod status;
pub mod suppliers;

pub use orders::{Drafted, draft_suggestions};

/// The path's purchase order id, or 404.
fn po_id(raw: &str) -> Result<comptoir_shared::ids::OpaqueId, comptoir_shared::ApiError> {
    comptoir_shared::ids::OpaqueId::parse(raw)
        .map_err(|_| comptoir_shared::ApiError::not_found("purchase_order"))
}
