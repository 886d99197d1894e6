//! Stock as the warehouse sees it: levels per SKU and the movement ledger.

use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, Sku};

/// One SKU's stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockLevel {
    /// The SKU.
    pub sku: Sku,
    /// `T-shirt en lin — Bleu · M`.
    pub description: String,
    /// Units on the shelf.
    pub on_hand: i64,
    /// Units held for unpaid orders.
    pub reserved: i64,
    /// `on_hand − reserved`: what can be sold.
    pub available: i64,
    /// At or under this, the SKU is low.
    pub low_threshold: i64,
    /// `available ≤ low_threshold`.
    pub low: bool,
}

/// One ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockMovement {
    /// `receipt`, `adjustment`, `reservation`, `release`, `sale`, `return`.
    pub kind: String,
    /// Signed units (on_hand for receipt/adjustment/sale/return, reserved for reservation/release).
    pub quantity: i64,
    /// The order, for order-driven movements.
    pub order_id: Option<OrderId>,
    /// Why / who.
    pub note: String,
    /// Unix ms.
    pub at_ms: i64,
}

/// Body of `POST /api/stock/{sku}/receipts`: goods arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Units received (1 to 100 000).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000))]
    pub quantity: i64,
    /// Delivery note, supplier… (one line).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: String,
}

/// Body of `POST /api/stock/{sku}/adjustments`: a count that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Units to add (positive) or remove (negative); never zero.
    #[cfg_attr(feature = "openapi", schema(minimum = -100_000, maximum = 100_000))]
    pub delta: i64,
    /// Why (required): breakage, inventory count… (one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
}
