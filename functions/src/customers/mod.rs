//! Customers as staff see them: the list, one customer seen whole (orders,
//! support threads, refunds, surveys, notes) and staff notes. Above the
//! contexts it reads from; served by the accounts function.
//!
//! - `GET /api/accounts/customers?q=` — customers, for support ([`list`])
//! - `GET /api/accounts/customers/{id}` — one customer seen whole ([`get`])
//! - `POST /api/accounts/customers/{id}/notes` — a staff note ([`add_note`])

pub mod add_note;
mod db;
pub mod get;
pub mod list;
