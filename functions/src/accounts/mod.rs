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

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [signup::handle]
    [signin::handle]
    [signout::handle]
    [me::handle]
    [my_orders::handle]
    [change_password::handle]
    [list_staff::handle, create_staff::handle]
    [update_staff::handle]
    [customers::handle]
    [customer::handle]
    [add_customer_note::handle]
    [crate::audit::list::handle]
}
