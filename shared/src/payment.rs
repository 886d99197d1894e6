//! Payment sessions as the storefront drives them.

use serde::{Deserialize, Serialize};

use crate::ids::{Email, OpaqueId, OrderId};
use crate::money::Money;

/// Body of `POST /api/payments/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentSessionRequest {
    /// The order to pay.
    pub order_id: OrderId,
}

/// Where to send the shopper to pay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSession {
    /// The provider's session id.
    pub session_id: String,
    /// The page that takes the payment (sandbox page or Stripe Checkout).
    pub redirect_url: String,
}

/// What the offline sandbox page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SandboxSession {
    /// Session id.
    pub session_id: OpaqueId,
    /// Order being paid.
    pub order_id: OrderId,
    /// Amount to pay.
    pub amount: Money,
    /// Payer.
    pub email: Email,
    /// `open`, `complete` or `expired`.
    pub state: String,
}

/// Body of `POST /api/payments/sandbox/{id}`: the fake card's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum SandboxDecision {
    /// The payment succeeds.
    Approve,
    /// The payment fails.
    Decline,
}
