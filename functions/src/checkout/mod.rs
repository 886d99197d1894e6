//! Checkout: turns a cart into an order waiting for payment, re-priced on the
//! server and with its stock reserved in the same transaction.
//!
//! - `POST /api/checkout` — place an order ([`place`])

pub mod place;

use axum::Router;
use axum::routing::post;

use crate::port::Host;

/// The checkout routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/checkout", post(place::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
