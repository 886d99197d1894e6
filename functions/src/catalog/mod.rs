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
//! - `GET /api/catalog/admin/categories` — every category with its translations ([`admin_categories`])
//! - `PUT /api/catalog/admin/categories/{name}` — name a category in other languages ([`save_category`])
//! - `GET /api/promotions`, `POST /api/promotions` — list/create codes ([`promotions`], [`create_promotion`])
//! - `PUT /api/promotions/{code}`, `POST /api/promotions/{code}/disable` ([`update_promotion`], [`disable_promotion`])

pub mod admin_categories;
mod admin_db;
pub mod admin_products;
pub mod create_promotion;
mod db;
pub mod disable_promotion;
pub mod get;
pub mod index;
pub mod list;
pub mod promotions;
pub mod save_category;
pub mod save_product;
pub mod save_variant;
pub mod set_published;
pub mod sitemap;
pub mod update_promotion;

pub use db::{VariantRow, variant_by_sku};

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [list::handle]
    [get::handle]
    [admin_products::handle]
    [save_product::handle]
    [set_published::handle]
    [save_variant::handle]
    [admin_categories::handle]
    [save_category::handle]
    [promotions::handle, create_promotion::handle]
    [update_promotion::handle]
    [disable_promotion::handle]
}
