//! Checkout: turns a cart into an order waiting for payment, re-priced on the
//! server and with its stock reserved in the same transaction.
//!
//! - `POST /api/checkout` — place an order ([`place`])

pub mod place;

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [place::handle]
}
