//! Customer support: threads between a customer and the shop's support desk,
//! and the satisfaction survey of a delivered order.
//!
//! A customer sees only their own threads (someone else's reads as 404, so
//! its existence is not revealed); support and admins see the inbox. Every
//! message sets the thread's status: a customer's makes it `open` (the shop
//! owes an answer), a staff reply `pending` (waiting for the customer).
//!
//! - `GET /api/support/threads` — own threads / the inbox ([`list`])
//! - `POST /api/support/threads` — a customer opens one ([`open`])
//! - `GET /api/support/threads/{id}` — one thread with its messages ([`get`])
//! - `POST /api/support/threads/{id}/messages` — write in it ([`reply`])
//! - `POST /api/support/threads/{id}/status` — staff set its status ([`set_status`])
//! - `POST /api/support/surveys` — rate a delivered order, once ([`answer_survey`])
//! - `GET /api/support/surveys/{order_id}` — the answer ([`survey`])

pub mod answer_survey;
pub mod db;
pub mod get;
pub mod list;
pub mod open;
pub mod reply;
pub mod set_status;
pub mod survey;

use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role};

use crate::identity::Viewer;

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [list::handle, open::handle]
    [get::handle]
    [reply::handle]
    [set_status::handle]
    [answer_survey::handle]
    [survey::handle]
}

/// Who is reading or writing a thread.
#[derive(Debug, Clone, Copy)]
pub enum Side<'a> {
    /// A customer: their own threads only.
    Customer(&'a Account),
    /// Support or an admin: every thread.
    Staff(&'a Account),
}

impl<'a> Side<'a> {
    /// The viewer's side: 401 when signed out, 403 for staff without the
    /// support role (admins have it).
    pub fn of(viewer: &'a Viewer) -> Result<Self, ApiError> {
        let account = viewer.signed_in()?;
        if account.role == Role::Customer {
            Ok(Self::Customer(account))
        } else {
            viewer.require(&[Role::Support]).map(Self::Staff)
        }
    }

    /// The customer whose threads alone are visible, if any.
    pub fn owner(self) -> Option<&'a Account> {
        match self {
            Self::Customer(account) => Some(account),
            Self::Staff(_) => None,
        }
    }
}
