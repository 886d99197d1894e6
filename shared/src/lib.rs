//! Comptoir's contract crate: every type that crosses the wire between the
//! storefront and the functions, and the pure rules both sides must agree on.
//!
//! - [`ids`], [`money`], [`catalog`], [`cart`], [`checkout`], [`order`]: the
//!   wire contracts, built from validated newtypes (parse, don't validate:
//!   a value that exists is valid).
//! - [`pricing`]: how a cart becomes a total (shipping, VAT, rounding).
//! - [`order::OrderStatus`]: the order state machine.
//! - [`error::ApiError`]: the one wire error enum.
//! - [`support`]: customer support threads and satisfaction surveys.
//! - [`audit`]: the log of staff actions; [`note`]: staff-only notes;
//!   [`catalog_admin`]: the catalog and promotions as admins edit them.
//! - [`calendar`]: UTC days and ISO 8601 dates of unix-ms instants.
//! - [`kpi`]: the back office's key figures and their pure arithmetic;
//!   [`retention`]: customer cohorts; [`feedback`]: survey trends.
//! - [`audience`]: the privacy-first visitor funnel (beacon, counting rules).
//! - [`lang`]: the languages the shop speaks (French first, English).
//! - [`text`]: the one rule for text people type (visible, no direction tricks).
//!
//! With the `openapi` feature (the functions turn it on; the browser bundles
//! never do), every wire type also describes itself as an OpenAPI schema
//! (`utoipa::ToSchema`), from which the published API document is built.
//!
//! No I/O lives here; the crate builds for native, `wasm32-unknown-unknown`
//! and `wasm32-wasip2`, and CI checks it never depends on a host crate.
#![deny(missing_docs)]

pub mod account;
pub mod audience;
pub mod audit;
pub mod automation;
pub mod calendar;
pub mod cart;
pub mod catalog;
pub mod catalog_admin;
pub mod checkout;
pub mod company;
pub mod error;
pub mod feedback;
pub mod forecast;
pub mod ids;
pub mod invoice;
pub mod jobs;
pub mod kpi;
pub mod lang;
pub mod ledger;
pub mod money;
pub mod note;
pub mod notification;
#[cfg(feature = "openapi")]
mod openapi;
pub mod order;
pub mod payment;
pub mod pricing;
pub mod purchasing;
pub mod refund;
pub mod retention;
pub mod search;
pub mod site;
pub mod stock;
pub mod support;
pub mod text;

pub use error::{ApiError, ValidationError};
pub use money::{Currency, Money};
