//! Refunds: asked for by the customer per line, decided by finance staff,
//! executed through the payment provider.

use serde::{Deserialize, Serialize};

use crate::ids::{OpaqueId, OrderId, Quantity, Sku};
use crate::money::Money;

/// Where a refund is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Asked for, waiting for finance.
    Requested,
    /// Refused by finance.
    Declined,
    /// Approved and sent to the provider.
    Pending,
    /// The money went back.
    Succeeded,
    /// The provider could not refund.
    Failed,
}

impl RefundStatus {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Declined => "declined",
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Requested,
            Self::Declined,
            Self::Pending,
            Self::Succeeded,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// One line the customer wants refunded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundLineRequest {
    /// The SKU bought.
    pub sku: Sku,
    /// How many units.
    pub quantity: Quantity,
}

/// Body of `POST /api/refunds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// The order.
    pub order_id: OrderId,
    /// What to refund (one line per SKU).
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub lines: Vec<RefundLineRequest>,
    /// Why (required; one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// Body of `POST /api/refunds/{id}/approve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproveRefund {
    /// A partial amount; the requested amount when absent.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Put the units back on the shelf (with a ledger row).
    #[serde(default)]
    pub restock: bool,
}

/// Body of `POST /api/refunds/{id}/decline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeclineRefund {
    /// Why (shown to the customer; one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub note: String,
}

/// Body of `POST /api/refunds/direct`: finance refunds an amount directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffRefund {
    /// The order.
    pub order_id: OrderId,
    /// How much (positive).
    pub amount: Money,
    /// Why (one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// A refund as customer and staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refund {
    /// Its id.
    pub id: OpaqueId,
    /// The order.
    pub order_id: OrderId,
    /// Where it is.
    pub status: RefundStatus,
    /// Value of the lines asked for.
    pub requested: Money,
    /// Approved amount (zero until approved).
    pub amount: Money,
    /// The customer's (or staff's) reason.
    pub reason: String,
    /// Finance's note when deciding.
    pub decision_note: String,
    /// The lines.
    pub lines: Vec<RefundLine>,
    /// Unix ms.
    pub created_at_ms: i64,
    /// The payment it gives back when that is not the order's kept payment
    /// (a second payment, a payment after cancellation): its provider
    /// reference. `None`: the order's payment.
    #[serde(default)]
    pub capture_reference: Option<String>,
}

/// One refunded line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundLine {
    /// SKU.
    pub sku: Sku,
    /// Units.
    pub quantity: Quantity,
    /// Their value.
    pub amount: Money,
}

/// A refund in finance's queue, with what the order can still give back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundQueueItem {
    /// The refund.
    pub refund: Refund,
    /// What the order captured.
    pub captured: Money,
    /// Already refunded or on its way back.
    pub refunded: Money,
}
