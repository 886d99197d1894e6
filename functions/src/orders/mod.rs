//! Orders: reading an order, and the one way an order changes status
//! ([`transition`]), which checks the shared state machine and writes the
//! timeline entry in the caller's transaction.
//!
//! - `GET /api/orders/{id}` — the order as its buyer sees it ([`get`])

mod db;
pub mod get;

pub use db::{
    OrderHead, expire_reservations, head, insert_event, settle_expired, summary, transition,
};

use axum::Router;
use axum::routing::get;

use crate::port::Host;

/// The order routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/orders/{id}", get(get::handle))
        .with_state(host)
}
