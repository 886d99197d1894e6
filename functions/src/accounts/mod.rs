//! Accounts: sign-up, sign-in and sessions for customers and staff, and the
//! [`Viewer`] extractor every function uses to check who is asking.
//!
//! - `POST /api/accounts/signup` — a customer account, signed in ([`signup`])
//! - `POST /api/accounts/signin` / `signout` ([`signin`], [`signout`])
//! - `GET /api/accounts/me` — the signed-in account ([`me`])
//! - `POST /api/accounts/password` — change password ([`change_password`])
//! - `GET /api/accounts/me/orders` — the customer's orders ([`my_orders`])
//! - `GET /api/accounts/staff`, `POST /api/accounts/staff` — admins list and
//!   create staff accounts ([`list_staff`], [`create_staff`])
//! - `POST /api/accounts/staff/{id}` — change role, disable/enable ([`update_staff`])
//! - `GET /api/accounts/customers?q=` — customers, for support ([`customers`])
//! - `GET /api/accounts/customers/{id}` — one customer seen whole ([`customer`])
//! - `POST /api/accounts/customers/{id}/notes` — a staff note ([`add_customer_note`])
//! - `GET /api/audit` — the audit log, for admins ([`crate::audit::list`])

pub mod add_customer_note;
pub mod auth;
pub mod change_password;
pub mod create_staff;
pub mod customer;
pub mod customers;
pub mod db;
pub mod list_staff;
pub mod me;
pub mod my_orders;
pub mod password;
pub mod signin;
pub mod signout;
pub mod signup;
pub mod throttle;
pub mod update_staff;

pub use auth::Viewer;

use axum::Router;
use axum::routing::{get, post};

use crate::port::Host;

/// The account routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/accounts/signup", post(signup::handle))
        .route("/api/accounts/signin", post(signin::handle))
        .route("/api/accounts/signout", post(signout::handle))
        .route("/api/accounts/me", get(me::handle))
        .route("/api/accounts/me/orders", get(my_orders::handle))
        .route("/api/accounts/password", post(change_password::handle))
        .route(
            "/api/accounts/staff",
            get(list_staff::handle).post(create_staff::handle),
        )
        .route("/api/accounts/staff/{id}", post(update_staff::handle))
        .route("/api/accounts/customers", get(customers::handle))
        .route("/api/accounts/customers/{id}", get(customer::handle))
        .route(
            "/api/accounts/customers/{id}/notes",
            post(add_customer_note::handle),
        )
        .route("/api/audit", get(crate::audit::list::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
