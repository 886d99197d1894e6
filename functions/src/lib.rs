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
//! [`openapi`](mod@openapi)). A function that serves routes of contexts at
//! different layers has its route table here, in [`tables`], above them all.
//!
//! Contexts import only contexts below them (identity and the audit log at
//! the bottom, the customer seen whole and the job runner at the top): the
//! order is [`LAYERS`], and a test holds every module to it.

pub mod accounting;
pub mod accounts;
pub mod audience;
pub mod audit;
pub mod automation;
pub mod backoffice;
pub mod cache;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod config;
pub mod customers;
pub mod dialect;
pub mod edge;
pub mod error;
pub mod extract;
pub mod identity;
pub mod jobs;
pub mod kpis;
pub mod migrate;
pub mod openapi;
pub mod orders;
pub mod outbox;
pub mod pages;
pub mod payments;
pub mod port;
pub mod promotions;
pub mod purchasing;
pub mod refunds;
pub mod stock;
pub mod support;
pub mod warehouse;

use axum::Router;

pub use openapi::openapi;

use crate::port::Host;

/// The contexts from the bottom up: each may import (`crate::<context>`)
/// only those before it, so no two import each other, however indirectly.
/// The other modules (the port, configuration, errors, extractors, the edge,
/// migrations, the API document) are the ground every context stands on.
pub const LAYERS: [&str; 23] = [
    "identity",
    "audit",
    "outbox",
    "promotions",
    "stock",
    "accounts",
    "catalog",
    "orders",
    "accounting",
    "cart",
    "refunds",
    "payments",
    "backoffice",
    "checkout",
    "warehouse",
    "purchasing",
    "support",
    "audience",
    "kpis",
    "customers",
    "automation",
    "jobs",
    "pages",
];

/// The functions, by the component id `spin.toml` gives them.
pub const FUNCTIONS: [&str; 12] = [
    "catalog", "cart", "checkout", "payments", "orders", "accounts", "refunds", "stock", "support",
    "kpis", "jobs", "finance",
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
        "orders" => tables::orders::api(),
        "accounts" => tables::accounts::api(),
        "refunds" => tables::refunds::api(),
        "stock" => tables::stock::api(),
        "support" => support::api(),
        "kpis" => kpis::api(),
        "jobs" => jobs::api(),
        "finance" => tables::finance::api(),
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
        "orders" => tables::orders::router(host),
        "accounts" => tables::accounts::router(host),
        "refunds" => tables::refunds::router(host),
        "stock" => tables::stock::router(host),
        "support" => support::router(host),
        "kpis" => kpis::router(host),
        "jobs" => jobs::router(host),
        "finance" => tables::finance::router(host),
        _ => return None,
    };
    Some(edge::guard(router, config))
}

/// The route tables of the functions that serve more than one context, one
/// path per group in the order the document lists them.
pub mod tables {
    /// The `accounts` function: accounts, the customer's own orders, the
    /// customers seen by staff and the audit log.
    pub mod accounts {
        use crate::{accounts, audit, customers, orders};

        crate::openapi::api_routes! {
            [accounts::signup::handle]
            [accounts::signin::handle]
            [accounts::signout::handle]
            [accounts::me::handle]
            [orders::mine::handle]
            [accounts::change_password::handle]
            [accounts::verification::handle]
            [accounts::verify::handle]
            [accounts::list_staff::handle, accounts::create_staff::handle]
            [accounts::update_staff::handle]
            [customers::list::handle]
            [customers::get::handle]
            [customers::add_note::handle]
            [audit::list::handle]
        }
    }

    /// The `orders` function: orders, their invoices, and staff's view and
    /// status changes.
    pub mod orders {
        use crate::{accounting, backoffice, orders};

        crate::openapi::api_routes! {
            [orders::board::handle]
            [orders::export::handle]
            [orders::stuck::handle]
            [orders::notifications::handle]
            [orders::get::handle]
            [backoffice::order_status::handle]
            [orders::abandon::handle]
            [backoffice::order_view::handle]
            [accounting::documents::handle]
            [orders::add_note::handle]
        }
    }

    /// The `finance` function: invoices and the books, and the payouts and
    /// billing errors they are reconciled with.
    pub mod finance {
        use crate::{accounting, payments};

        crate::openapi::api_routes! {
            [accounting::list::handle]
            [accounting::download::handle]
            [accounting::journal::handle]
            [accounting::fec::handle]
            [accounting::vat_report::handle]
            [accounting::vat_report::csv]
            [accounting::close_year::handle]
            [accounting::chart::handle]
            [accounting::chart::set]
            [payments::billing_errors::list]
            [payments::billing_errors::resolve]
        }
    }

    /// The `stock` function: the shelf as the warehouse sees it, and
    /// purchasing (suppliers, forecasts, purchase orders).
    pub mod stock {
        use crate::{purchasing, warehouse};

        crate::openapi::api_routes! {
            [warehouse::levels::handle]
            [warehouse::movements::handle]
            [warehouse::receive::handle]
            [warehouse::adjust::handle]
            [purchasing::suppliers::list, purchasing::suppliers::create]
            [purchasing::suppliers::set_supply]
            [purchasing::forecast::list]
            [purchasing::forecast::detail]
            [purchasing::orders::list, purchasing::orders::create]
            [purchasing::orders::draft]
            [purchasing::orders::get]
            [purchasing::status::handle]
            [purchasing::receive::handle]
        }
    }

    /// The `refunds` function: requests and decisions, and the decisions
    /// that send at once.
    pub mod refunds {
        use crate::{backoffice, refunds};

        crate::openapi::api_routes! {
            [refunds::queue::handle, refunds::request::handle]
            [refunds::mine::handle]
            [backoffice::direct_refund::handle]
            [backoffice::approve_refund::handle]
            [backoffice::execute_refund::handle]
            [refunds::decline::handle]
        }
    }
}
