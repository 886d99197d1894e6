//! Catalog: the published products and their live availability.
//!
//! - `GET /api/catalog/products` — listing ([`list`])
//! - `GET /api/catalog/products/{id}` — product page ([`get`])

mod db;
pub mod get;
pub mod list;

pub use db::{VariantRow, variant_by_sku};

use axum::Router;
use axum::routing::get;

use crate::port::Host;

/// The catalog routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/catalog/products", get(list::handle))
        .route("/api/catalog/products/{id}", get(get::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
