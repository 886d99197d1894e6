//! Payments: sessions with the provider, and the webhook through which every
//! payment outcome arrives — Stripe-shaped, signed events, applied once each.
//!
//! - `POST /api/payments/sessions` — a payment session for an order ([`session`])
//! - `GET|POST /api/payments/sandbox/{id}` — the offline provider's page data
//!   and its approve/decline, which emits signed events into the webhook ([`sandbox`])
//! - `POST /api/payments/webhook` — provider events ([`webhook`])

pub mod provider;
pub mod sandbox;
pub mod session;
pub mod signature;
pub mod webhook;

/// Where the provider posts its events.
pub const WEBHOOK_PATH: &str = "/api/payments/webhook";

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [session::handle]
    [sandbox::show, sandbox::decide]
    [webhook::handle]
}
