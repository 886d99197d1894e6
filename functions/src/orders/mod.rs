//! Orders: reading an order, and the one way an order changes status
//! ([`transition`]), which checks the shared state machine and writes the
//! timeline entry in the caller's transaction.
//!
//! - `GET /api/orders?status=&from=&to=&customer=&q=&page=` — the staff board ([`board`])
//! - `GET /api/orders/export.csv?…` — the same, as CSV ([`export`])
//! - `GET /api/orders/{id}` — the order as its buyer sees it ([`get`])
//! - `POST /api/orders/{id}/notes` — an internal note ([`add_note`])
//! - `POST /api/orders/{id}/abandon` — the shopper left the payment page ([`abandon`])
//! - `GET /api/orders/stuck?hours=N` — paid, not shipped after N hours ([`stuck`])
//! - `GET /api/orders/notifications?unsent=1` — the outbox ([`notifications`])
//! - `GET /api/accounts/me/orders` — the customer's own orders ([`mine`];
//!   served by the accounts function)
//!
//! The orders function also serves staff's order view and status changes,
//! which reach refunds and payments ([`crate::backoffice`]): its route table
//! is in the crate root.

pub mod abandon;
pub mod add_note;
pub mod board;
mod db;
pub mod export;
pub mod get;
pub mod mine;
pub mod notifications;
pub mod stuck;

pub use db::{
    OrderHead, SessionsToClose, Settlement, close_sessions, expire_reservations, head,
    insert_event, insert_internal_note, internal_notes, is_owner, settle_expired, settlement,
    summary, transition,
};
