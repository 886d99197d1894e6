//! Accounts: sign-up, sign-in and sign-out, the signed-in account, passwords
//! and staff accounts. Who is asking (the [`Viewer`](crate::identity::Viewer))
//! and sessions are [`crate::identity`], below every context.
//!
//! - `POST /api/accounts/signup` — a customer account, signed in ([`signup`])
//! - `POST /api/accounts/signin` / `signout` ([`signin`], [`signout`])
//! - `GET /api/accounts/me` — the signed-in account ([`me`])
//! - `POST /api/accounts/password` — change password ([`change_password`])
//! - `POST /api/accounts/verification` — a customer asks for an e-mail
//!   verification link ([`verification`], which also makes and checks links)
//! - `POST /api/accounts/verify` — a link's token, sent signed in to the
//!   account it names, verifies the e-mail and attaches the guest orders
//!   placed under it before ([`verify`])
//! - `GET /api/accounts/staff`, `POST /api/accounts/staff` — admins list and
//!   create staff accounts ([`list_staff`], [`create_staff`])
//! - `POST /api/accounts/staff/{id}` — change role, disable/enable ([`update_staff`])
//!
//! The accounts function also serves the customer's orders
//! (`crate::orders::mine`), the customers seen by staff (`crate::customers`)
//! and the audit log (`crate::audit::list`): its route table is in the crate
//! root, above all of them.

pub mod change_password;
pub mod create_staff;
pub mod db;
pub mod list_staff;
pub mod me;
pub mod password;
pub mod signin;
pub mod signout;
pub mod signup;
pub mod throttle;
pub mod update_staff;
pub mod verification;
pub mod verify;
