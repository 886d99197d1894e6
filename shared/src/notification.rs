//! Notifications the shop sends, as staff see them in the outbox.

use serde::{Deserialize, Serialize};

use crate::ids::{OpaqueId, OrderId};

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// Its id (also the e-mail's Message-ID, so a resend is recognisable).
    pub id: OpaqueId,
    /// `order_confirmation`, `order_shipped`, `refund_settled`, `order_late`,
    /// to staff `order_escalated`, or `email_verification` (no order).
    pub kind: String,
    /// The order it is about (`null` for a message about the account).
    pub order_id: Option<OrderId>,
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body (listed for staff with its token-bearing links masked).
    pub body: String,
    /// Unix ms.
    pub created_at_ms: i64,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// When it was sent, if it was.
    pub sent_at_ms: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}
