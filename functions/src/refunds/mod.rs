//! Refunds: the customer asks per line, finance decides, the provider pays
//! back. Σ refunded ≤ captured holds under concurrency because every amount
//! is committed (`pending`) inside one write transaction that first sums what
//! is already committed ([`db::commit_amount`]).
//!
//! - `POST /api/refunds` — a customer's request ([`request`])
//! - `GET /api/refunds` — finance's queue ([`queue`])
//! - `GET /api/refunds/mine?order=` — the customer's own refunds ([`mine`])
//! - `POST /api/refunds/{id}/approve` / `decline` ([`approve`], [`decline`])
//! - `POST /api/refunds/direct` — finance refunds an amount directly ([`staff`])
//! - `POST /api/refunds/{id}/execute` — (re)send a committed refund to the
//!   provider, e.g. the one a cancellation committed ([`execute`])

pub mod approve;
pub mod db;
pub mod decline;
pub mod execute;
pub mod mine;
pub mod queue;
pub mod request;
pub mod staff;

use axum::Router;
use axum::routing::{get, post};

use crate::port::Host;

/// The refund routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/refunds", get(queue::handle).post(request::handle))
        .route("/api/refunds/mine", get(mine::handle))
        .route("/api/refunds/direct", post(staff::handle))
        .route("/api/refunds/{id}/approve", post(approve::handle))
        .route("/api/refunds/{id}/execute", post(execute::handle))
        .route("/api/refunds/{id}/decline", post(decline::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
