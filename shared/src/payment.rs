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

/// What a balance transaction of a payout is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayoutTransactionKind {
    /// A payment taken.
    Payment,
    /// Money given back.
    Refund,
    /// Anything else (an adjustment, a dispute…).
    Other,
}

impl PayoutTransactionKind {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Refund => "refund",
            Self::Other => "other",
        }
    }
}

/// A payout recorded and reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayoutReport {
    /// The provider's id.
    pub id: String,
    /// Sent to the bank.
    pub amount: crate::money::Money,
    /// The provider's fees on what it settles.
    pub fees: crate::money::Money,
    /// Balance transactions it settles.
    pub transactions: u32,
    /// Mismatches found (each a billing error).
    pub billing_errors: u32,
}

/// A billing error in finance's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingErrorRow {
    /// Its id.
    pub id: crate::ids::OpaqueId,
    /// The order involved, if known.
    pub order_id: Option<crate::ids::OrderId>,
    /// `unknown_payment`, `amount_mismatch`, `fee_above_rate`,
    /// `unknown_refund`, `payout_mismatch`, `double_payment`, …
    pub kind: String,
    /// What does not match, with the figures.
    pub detail: String,
    /// The provider's event, transaction or payout it rests on.
    pub evidence: String,
    /// Unix ms.
    pub at_ms: i64,
    /// When finance resolved it (unix ms).
    pub resolved_at_ms: Option<i64>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// How.
    pub resolution: Option<String>,
}

/// Body of `POST /api/finance/billing-errors/{id}/resolve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveBillingError {
    /// What was done (1 to 1000 characters on one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub note: String,
}
