//! Staff-only notes, on an order or a customer: never shown to the customer.

use serde::{Deserialize, Serialize};

use crate::support::MessageBody;

/// Body of `POST /api/orders/{id}/notes` and `POST /api/accounts/customers/{id}/notes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// What to remember (1 to 4000 characters).
    pub body: MessageBody,
}

/// A note as staff read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffNote {
    /// When, unix ms.
    pub at_ms: i64,
    /// Who wrote it (staff e-mail).
    pub author: String,
    /// What it says.
    pub body: String,
}
