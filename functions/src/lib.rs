//! The back office as functions. Each bounded context is a module with its
//! route table in `mod.rs`, one file per action and its SQL beside it; every
//! router matches **full** paths (Spin passes `/api/orders/42`, not `/42`).
//!
//! Contexts talk to the outside world only through [`port::Host`]; the Spin
//! components (`functions/components/*`) and the native host (`infra/host`)
//! are adapters that build a `Host` and hand requests to [`router_for`].
//!
//! Each context declares its routes once, annotated for the published API
//! document ([`openapi()`], built from the routers themselves; see
//! [`openapi`](mod@openapi)).

pub mod accounts;
pub mod audit;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod config;
pub mod dialect;
pub mod edge;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod kpis;
pub mod migrate;
pub mod openapi;
pub mod orders;
pub mod outbox;
pub mod payments;
pub mod port;
pub mod promotions;
pub mod refunds;
pub mod stock;
pub mod support;
pub mod warehouse;

use axum::Router;

pub use openapi::openapi;

use crate::port::Host;

/// The functions, by the component id `spin.toml` gives them.
pub const FUNCTIONS: [&str; 11] = [
    "catalog", "cart", "checkout", "payments", "orders", "accounts", "refunds", "stock", "support",
    "kpis", "jobs",
];

/// The documented routes of the function whose `spin.toml` component id is
/// `name`: what [`router_for`] mounts, with its part of the [`openapi()`]
/// document.
pub fn api_for(name: &str) -> Option<utoipa_axum::router::OpenApiRouter<Host>> {
    Some(match name {
        "catalog" => catalog::api(),
        "cart" => cart::api(),
        "checkout" => checkout::api(),
        "payments" => payments::api(),
        "orders" => orders::api(),
        "accounts" => accounts::api(),
        "refunds" => refunds::api(),
        "stock" => warehouse::api(),
        "support" => support::api(),
        "kpis" => kpis::api(),
        "jobs" => jobs::api(),
        _ => return None,
    })
}

/// The router of the function whose `spin.toml` component id is `name`,
/// behind the [`edge`] (origin and media-type rule, typed refusals, security
/// headers): what both hosts mount.
pub fn router_for(name: &str, host: Host) -> Option<Router> {
    let config = std::sync::Arc::clone(&host.config);
    let router = match name {
        "catalog" => catalog::router(host),
        "cart" => cart::router(host),
        "checkout" => checkout::router(host),
        "payments" => payments::router(host),
        "orders" => orders::router(host),
        "accounts" => accounts::router(host),
        "refunds" => refunds::router(host),
        "stock" => warehouse::router(host),
        "support" => support::router(host),
        "kpis" => kpis::router(host),
        "jobs" => jobs::router(host),
        _ => return None,
    };
    Some(edge::guard(router, config))
}
