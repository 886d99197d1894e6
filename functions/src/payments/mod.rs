//! Payments: sessions with the provider, and the webhook through which every
//! payment outcome arrives — Stripe-shaped, signed events, applied once each.
//!
//! - `POST /api/payments/sessions` — a payment session for an order ([`session`])
//! - `GET|POST /api/payments/sandbox/{id}` — the offline provider's page data
//!   and its approve/decline, which emits signed events into the webhook ([`sandbox`])
//! - `POST /api/payments/webhook` — provider events ([`webhook`]; a
//!   `payout.paid` is reconciled, [`payouts`])
//! - `POST /api/payments/payouts/sandbox` — the sandbox pays out ([`payouts`])
//!
//! One payment per order: at most one open session per order and at most one
//! kept capture per order, both held by unique indexes ([`db`]); every other
//! capture is refunded in full in the transaction that records it
//! ([`webhook`]). Work owed after a commit that a job runner can repeat:
//! [`expire_due`] (sessions to expire at the provider) and
//! [`refund::execute_stale`] (committed refunds to send).

pub mod billing_errors;
pub mod db;
pub mod expire;
pub mod payouts;
pub mod provider;
pub mod refund;
pub mod sandbox;
pub mod session;
pub mod signature;
pub mod webhook;

pub use expire::expire_due;

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [session::handle]
    [sandbox::show, sandbox::decide]
    [webhook::handle]
    [payouts::sandbox]
}
