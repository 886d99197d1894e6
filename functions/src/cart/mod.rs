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

use axum::Router;
use axum::routing::{delete, get, post, put};

use crate::port::Host;

/// The cart routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/carts", post(create::handle))
        .route("/api/carts/{id}", get(get::handle))
        .route("/api/carts/{id}/items", put(set_line::handle))
        .route("/api/carts/{id}/items/{sku}", delete(remove_line::handle))
        .route("/api/carts/{id}/promotions", put(add_promotion::handle))
        .route(
            "/api/carts/{id}/promotions/{code}",
            delete(remove_promotion::handle),
        )
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
