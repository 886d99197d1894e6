//! Payments: sessions with the provider, and the webhook through which every
//! payment outcome arrives — Stripe-shaped, signed events, applied once each.
//!
//! - `POST /api/payments/sessions` — a payment session for an order ([`session`])
//! - `GET|POST /api/payments/sandbox/{id}` — the offline provider's page data
//!   and its approve/decline, which emits signed events into the webhook ([`sandbox`])
//! - `POST /api/payments/webhook` — provider events ([`webhook`])
//!
//! One payment per order: at most one open session per order and at most one
//! kept capture per order, both held by unique indexes ([`db`]); every other
//! capture is refunded in full in the transaction that records it
//! ([`webhook`]). Work owed after a commit that a job runner can repeat:
//! [`expire_due`] (sessions to expire at the provider) and
//! `refunds::db::execute_stale` (committed refunds to send).

pub mod db;
pub mod expire;
pub mod provider;
pub mod sandbox;
pub mod session;
pub mod signature;
pub mod webhook;

use axum::Router;
use axum::routing::{get, post};

use crate::port::Host;

pub use expire::expire_due;

/// Where the provider posts its events.
pub const WEBHOOK_PATH: &str = "/api/payments/webhook";

/// The payment routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/payments/sessions", post(session::handle))
        .route(
            "/api/payments/sandbox/{id}",
            get(sandbox::show).post(sandbox::decide),
        )
        .route(WEBHOOK_PATH, post(webhook::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
