//! Suppliers and purchase orders, and the stock forecast that drafts them:
//! what the warehouse and the buyer exchange with the functions
//! (`/api/stock/suppliers`, `/api/stock/forecast`,
//! `/api/stock/purchase-orders`), and the purchase order's state machine.
//!
//! A purchase order is drafted (by hand or from the forecast's
//! suggestions), sent to its supplier, received line by line — each receipt
//! puts units on the shelf with a `receipt` ledger row and books the goods
//! at cost — and closed (all received, or the rest given up).

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{Email, IdempotencyKey, OpaqueId, Sku};
use crate::money::{Currency, Money};

/// Body of `POST /api/stock/suppliers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupplierInput {
    /// Its name (one line, 1 to 120 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: String,
    /// Where purchase orders go.
    pub email: Email,
    /// Days from sending an order to receiving it (1 to 180).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 180))]
    pub lead_time_days: u32,
}

impl SupplierInput {
    /// Checks the lead time; the error names the field (the name is checked
    /// by the functions' one-line text rule).
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        if !(1..=180).contains(&self.lead_time_days) {
            return Err(("lead_time_days", ValidationError("1 to 180 days".into())));
        }
        Ok(())
    }
}

/// A supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supplier {
    /// Its id.
    pub id: OpaqueId,
    /// Its name.
    pub name: String,
    /// The supplier's ordering address (the shop sends nothing itself:
    /// staff send the order and mark it sent).
    pub email: Email,
    /// Days from sending an order to receiving it.
    pub lead_time_days: u32,
}

/// Body of `PUT /api/stock/{sku}/supply`: who supplies a SKU, at what cost,
/// and how much stock to keep beyond the lead time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupplyInput {
    /// The supplier.
    pub supplier_id: OpaqueId,
    /// What one unit costs, before VAT (EUR, 0 to 100 000.00).
    pub unit_cost: Money,
    /// Safety stock, in days of forecast sales (0 to 90).
    #[cfg_attr(feature = "openapi", schema(maximum = 90))]
    pub safety_days: u32,
    /// Days an order should cover beyond the lead time (1 to 90): how often
    /// the SKU is reordered.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 90))]
    pub review_days: u32,
}

impl SupplyInput {
    /// Checks the bounds; the error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        if self.unit_cost.currency != Currency::Eur
            || !(0..=10_000_000).contains(&self.unit_cost.amount)
        {
            return Err((
                "unit_cost",
                ValidationError("an amount in EUR from 0 to 100000.00".into()),
            ));
        }
        if self.safety_days > 90 {
            return Err(("safety_days", ValidationError("0 to 90 days".into())));
        }
        if !(1..=90).contains(&self.review_days) {
            return Err(("review_days", ValidationError("1 to 90 days".into())));
        }
        Ok(())
    }
}

/// How a SKU is supplied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supply {
    /// The supplier.
    pub supplier: Supplier,
    /// One unit's cost before VAT.
    pub unit_cost: Money,
    /// Safety stock, in days of forecast sales.
    pub safety_days: u32,
    /// Days an order covers beyond the lead time.
    pub review_days: u32,
}

/// One day of a SKU's sales history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesDay {
    /// `2026-12-01` (Paris time).
    pub date: String,
    /// Units sold.
    pub sold: u32,
    /// Whether it could be sold all day: a day that began with nothing on the
    /// shelf and sold nothing is out of stock (missing demand, not zero).
    pub in_stock: bool,
}

/// A SKU's forecast and what to reorder (`GET /api/stock/forecast`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkuForecast {
    /// The SKU.
    pub sku: Sku,
    /// `T-shirt en lin — Bleu · M`.
    pub description: String,
    /// Units that can be sold now (on hand − reserved).
    pub available: i64,
    /// Units on purchase orders sent and not yet received.
    pub on_order: i64,
    /// Forecast sales per day, in thousandths of a unit (`None`: never sold
    /// while in stock, nothing to forecast from).
    pub velocity_per_day_milli: Option<u64>,
    /// Days the available units last at that pace.
    pub days_of_cover: Option<u32>,
    /// The day the shelf is expected to empty (`2026-12-24`), within a year.
    pub stockout_date: Option<String>,
    /// Reorder when available + on order falls to this (lead-time demand +
    /// safety stock); `None` without a supplier or a forecast.
    pub reorder_point: Option<u32>,
    /// Units to order now (0: enough available and on order).
    pub suggested_quantity: u32,
    /// Who supplies it, if set.
    pub supply: Option<Supply>,
}

/// One SKU's history and forecast, for its chart
/// (`GET /api/stock/{sku}/forecast`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkuForecastDetail {
    /// The figures.
    pub summary: SkuForecast,
    /// The last 91 days, oldest first.
    pub history: Vec<SalesDay>,
    /// Forecast units per day for the next 28 days from today, in
    /// thousandths of a unit.
    pub forecast_milli: Vec<u64>,
}

/// Where a purchase order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    /// Being prepared (by hand or by the low-stock rule, which adds lines).
    Draft,
    /// Sent to the supplier; goods expected.
    Sent,
    /// Every line received in full.
    Received,
    /// Done: received, or what is missing given up.
    Closed,
    /// Dropped before anything arrived.
    Cancelled,
}

impl PoStatus {
    /// Every status, in life order.
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::Sent,
        Self::Received,
        Self::Closed,
        Self::Cancelled,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether staff may move a purchase order from `self` to `to`: a draft
    /// is sent or cancelled; a sent order is closed short (some lines never
    /// came) or cancelled while nothing arrived (`received_any`); a received
    /// one is closed. `received` itself is reached by receiving the last
    /// units, never asked for.
    pub fn can_become(self, to: Self, received_any: bool) -> bool {
        use PoStatus::*;
        match (self, to) {
            (Draft, Sent | Cancelled) | (Sent, Closed) | (Received, Closed) => true,
            (Sent, Cancelled) => !received_any,
            _ => false,
        }
    }
}

/// One line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoLine {
    /// The SKU.
    pub sku: Sku,
    /// `T-shirt en lin — Bleu · M`.
    pub description: String,
    /// Units ordered.
    pub ordered: u32,
    /// Units received so far.
    pub received: u32,
    /// One unit's cost before VAT.
    pub unit_cost: Money,
}

/// A purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrder {
    /// Its id.
    pub id: OpaqueId,
    /// Its supplier.
    pub supplier: Supplier,
    /// Where it stands.
    pub status: PoStatus,
    /// Its lines, by SKU.
    pub lines: Vec<PoLine>,
    /// Σ ordered × unit cost, before VAT.
    pub total: Money,
    /// When it was drafted (unix ms).
    pub created_at_ms: i64,
    /// When it was sent.
    pub sent_at_ms: Option<i64>,
    /// When the goods are expected: sent + the supplier's lead time.
    pub expected_at_ms: Option<i64>,
    /// Who drafted it: a staff e-mail, or `automation`.
    pub drafted_by: String,
}

/// One line of a purchase order drafted by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PoLineInput {
    /// The SKU.
    pub sku: Sku,
    /// Units to order (1 to 100 000).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000))]
    pub quantity: u32,
    /// One unit's cost before VAT (EUR, 0 to 100 000.00).
    pub unit_cost: Money,
}

/// Body of `POST /api/stock/purchase-orders`: a draft written by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrderInput {
    /// The supplier.
    pub supplier_id: OpaqueId,
    /// The lines (1 to 200, each SKU once).
    pub lines: Vec<PoLineInput>,
}

impl PurchaseOrderInput {
    /// Checks the shape: 1 to 200 lines, each SKU once, 1 to 100 000 units
    /// at 0 to 100 000.00 EUR each. The error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        if self.lines.is_empty() || self.lines.len() > 200 {
            return Err(("lines", ValidationError("1 to 200 lines".into())));
        }
        let mut seen = std::collections::BTreeSet::new();
        for line in &self.lines {
            if !(1..=100_000).contains(&line.quantity) {
                return Err(("quantity", ValidationError("1 to 100000".into())));
            }
            if line.unit_cost.currency != Currency::Eur
                || !(0..=10_000_000).contains(&line.unit_cost.amount)
            {
                return Err((
                    "unit_cost",
                    ValidationError("an amount in EUR from 0 to 100000.00".into()),
                ));
            }
            if !seen.insert(line.sku.as_str()) {
                return Err(("sku", ValidationError("each SKU once".into())));
            }
        }
        Ok(())
    }
}

/// Body of `POST /api/stock/purchase-orders/{id}/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PoStatusChange {
    /// `sent`, `closed` or `cancelled`.
    pub to: PoStatus,
}

/// One line of a receipt against a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceiptLine {
    /// The SKU, a line of the order.
    pub sku: Sku,
    /// Units that arrived (1 to what is still expected on that line).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub quantity: u32,
}

/// Body of `POST /api/stock/purchase-orders/{id}/receipts`: what arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PoReceipt {
    /// Chosen by the client for this delivery: the same key again (a
    /// double click, a retry) receives nothing more.
    pub key: IdempotencyKey,
    /// The lines that arrived (1 to 200, each SKU once).
    pub lines: Vec<ReceiptLine>,
    /// The delivery note's reference (one line, optional).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub note: String,
}

impl PoReceipt {
    /// Checks the shape: 1 to 200 lines, each SKU once, each at least one
    /// unit. The error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        if self.lines.is_empty() || self.lines.len() > 200 {
            return Err(("lines", ValidationError("1 to 200 lines".into())));
        }
        let mut seen = std::collections::BTreeSet::new();
        for line in &self.lines {
            if line.quantity == 0 {
                return Err(("quantity", ValidationError("at least 1".into())));
            }
            if !seen.insert(line.sku.as_str()) {
                return Err(("sku", ValidationError("each SKU once".into())));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purchase_order_goes_draft_sent_received_closed() {
        use PoStatus::*;
        assert!(Draft.can_become(Sent, false));
        assert!(Draft.can_become(Cancelled, false));
        assert!(Sent.can_become(Closed, true), "closed short");
        assert!(Sent.can_become(Cancelled, false));
        assert!(!Sent.can_become(Cancelled, true), "goods arrived");
        assert!(Received.can_become(Closed, true));
        for to in PoStatus::ALL {
            assert!(!Closed.can_become(to, true) && !Cancelled.can_become(to, false));
            assert!(!to.can_become(Received, true), "reached by receiving only");
            assert!(!to.can_become(Draft, false));
        }
        for s in PoStatus::ALL {
            assert_eq!(PoStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn inputs_are_bounded() {
        let supply = SupplyInput {
            supplier_id: OpaqueId::from_u128(1),
            unit_cost: Money::eur(1200),
            safety_days: 7,
            review_days: 14,
        };
        assert!(supply.validate().is_ok());
        let bad = |s: SupplyInput| s.validate().map_err(|e| e.0);
        assert_eq!(
            bad(SupplyInput {
                unit_cost: Money::eur(-1),
                ..supply.clone()
            }),
            Err("unit_cost")
        );
        assert_eq!(
            bad(SupplyInput {
                safety_days: 91,
                ..supply.clone()
            }),
            Err("safety_days")
        );
        assert_eq!(
            bad(SupplyInput {
                review_days: 0,
                ..supply
            }),
            Err("review_days")
        );
        let line = |sku: &str, quantity| ReceiptLine {
            sku: Sku::parse(sku).unwrap(),
            quantity,
        };
        let receipt = |lines| PoReceipt {
            key: IdempotencyKey::parse("bl-1").unwrap(),
            lines,
            note: String::new(),
        };
        assert!(
            receipt(vec![line("A-1", 2), line("B-1", 1)])
                .validate()
                .is_ok()
        );
        assert_eq!(receipt(vec![]).validate().map_err(|e| e.0), Err("lines"));
        assert_eq!(
            receipt(vec![line("A-1", 0)]).validate().map_err(|e| e.0),
            Err("quantity")
        );
        assert_eq!(
            receipt(vec![line("A-1", 1), line("A-1", 2)])
                .validate()
                .map_err(|e| e.0),
            Err("sku")
        );
    }
}
