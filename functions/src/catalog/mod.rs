//! Catalog: the published products and their live availability; for admins,
//! the whole catalog and promotion codes (the catalog function also serves
//! `/api/promotions`).
//!
//! - `GET /api/catalog/products` — listing ([`list`])
//! - `GET /api/catalog/products/{id}` — product page ([`get`])
//! - `GET /api/catalog/admin/products` — every product, for admins ([`admin_products`])
//! - `PUT /api/catalog/admin/products/{id}` — create/replace a product ([`save_product`])
//! - `POST /api/catalog/admin/products/{id}/published` — publish/unpublish ([`set_published`])
//! - `PUT /api/catalog/admin/products/{id}/variants/{sku}` — create/change a variant ([`save_variant`])
//! - `GET /api/promotions`, `POST /api/promotions` — list/create codes ([`promotions`], [`create_promotion`])
//! - `PUT /api/promotions/{code}`, `POST /api/promotions/{code}/disable` ([`update_promotion`], [`disable_promotion`])

mod admin_db;
pub mod admin_products;
pub mod create_promotion;
mod db;
pub mod disable_promotion;
pub mod get;
pub mod list;
pub mod promotions;
pub mod save_product;
pub mod save_variant;
pub mod set_published;
pub mod update_promotion;

pub use db::{VariantRow, variant_by_sku};

use axum::Router;
use axum::routing::{get, post, put};

use crate::port::Host;

/// The catalog routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/catalog/products", get(list::handle))
        .route("/api/catalog/products/{id}", get(get::handle))
        .route("/api/catalog/admin/products", get(admin_products::handle))
        .route(
            "/api/catalog/admin/products/{id}",
            put(save_product::handle),
        )
        .route(
            "/api/catalog/admin/products/{id}/published",
            post(set_published::handle),
        )
        .route(
            "/api/catalog/admin/products/{id}/variants/{sku}",
            put(save_variant::handle),
        )
        .route(
            "/api/promotions",
            get(promotions::handle).post(create_promotion::handle),
        )
        .route("/api/promotions/{code}", put(update_promotion::handle))
        .route(
            "/api/promotions/{code}/disable",
            post(disable_promotion::handle),
        )
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
