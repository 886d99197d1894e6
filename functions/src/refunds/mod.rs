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

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [queue::handle, request::handle]
    [mine::handle]
    [staff::handle]
    [approve::handle]
    [execute::handle]
    [decline::handle]
}
