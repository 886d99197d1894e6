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

/// Body of `POST /api/payments/sandbox/{id}`: the fake card's answer,
/// `{"decision": "approve"}` or `{"decision": "decline"}`. Read through
/// [`WireDecision`]: serde cannot refuse unknown fields of an internally
/// tagged enum, and a body with fields we ignore is refused everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case", try_from = "WireDecision")]
pub enum SandboxDecision {
    /// The payment succeeds.
    Approve,
    /// The payment fails.
    Decline,
}

/// [`SandboxDecision`] as the JSON has it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireDecision {
    decision: String,
}

impl TryFrom<WireDecision> for SandboxDecision {
    type Error = String;

    fn try_from(w: WireDecision) -> Result<Self, String> {
        match w.decision.as_str() {
            "approve" => Ok(Self::Approve),
            "decline" => Ok(Self::Decline),
            other => Err(format!("unknown decision `{other}`: approve or decline")),
        }
    }
}
