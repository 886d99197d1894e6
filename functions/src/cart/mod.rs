//! Cart: what a shopper intends to buy, priced by the server on every read.
//!
//! - `POST /api/carts` — a new empty cart ([`create`])
//! - `GET /api/carts/{id}` — the priced cart ([`get`])
//! - `PUT /api/carts/{id}/items` — set a SKU's quantity ([`set_line`])
//! - `DELETE /api/carts/{id}/items/{sku}` — drop a SKU ([`remove_line`])
//! - `PUT /api/carts/{id}/promotions` — add a promotion code ([`add_promotion`])
//! - `DELETE /api/carts/{id}/promotions/{code}` — drop a code ([`remove_promotion`])

pub mod add_promotion;
pub mod create;
mod db;
pub mod get;
pub mod remove_line;
pub mod remove_promotion;
pub mod set_line;

pub use db::{CartLineRow, codes, exists, lines, priced};

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [create::handle]
    [get::handle]
    [set_line::handle]
    [remove_line::handle]
    [add_promotion::handle]
    [remove_promotion::handle]
}
