//! Orders: the status machine both halves obey, and the order as shown.

use serde::{Deserialize, Serialize};

use crate::checkout::{Address, Phone};
use crate::ids::{Email, OrderId, Quantity, Sku};
use crate::money::Money;
use crate::pricing::Totals;

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Created by checkout, stock reserved, waiting for the payment.
    PendingPayment,
    /// Payment captured.
    Paid,
    /// The warehouse is preparing it.
    Picking,
    /// Handed to the carrier.
    Shipped,
    /// Received by the customer.
    Delivered,
    /// Cancelled (unpaid, declined, or cancelled and refunded).
    Cancelled,
    /// Part of the capture was refunded.
    PartiallyRefunded,
    /// All of the capture was refunded.
    Refunded,
}

impl OrderStatus {
    /// Every status, in life order.
    pub const ALL: [Self; 8] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Picking,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::PartiallyRefunded,
        Self::Refunded,
    ];

    /// Whether the machine allows going from `self` to `to`.
    pub fn can_become(self, to: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (PendingPayment, Paid | Cancelled)
                | (Paid, Picking | Cancelled | Refunded)
                | (Picking, Shipped | Cancelled)
                | (Shipped, Delivered | Refunded)
                | (Delivered, PartiallyRefunded | Refunded)
                | (PartiallyRefunded, PartiallyRefunded | Refunded)
        )
    }

    /// Whether stock is still held for this order (reserved, not yet sold).
    pub fn holds_reservation(self) -> bool {
        self == Self::PendingPayment
    }

    /// The wire name (`pending_payment`), also stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Picking => "picking",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// An order as its buyer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    /// Its id.
    pub id: OrderId,
    /// Current status.
    pub status: OrderStatus,
    /// Buyer's e-mail.
    pub email: Email,
    /// Where it ships.
    pub shipping_address: Address,
    /// Where the invoice goes, when not the shipping address.
    pub billing_address: Option<Address>,
    /// The buyer's phone (older orders have none).
    pub phone: Option<Phone>,
    /// A business buyer's company (its invoices name it).
    #[serde(default)]
    pub company: Option<crate::company::Company>,
    /// What was bought, at the price charged.
    pub lines: Vec<OrderLine>,
    /// Totals as charged.
    pub totals: Totals,
    /// Unix milliseconds.
    pub created_at_ms: i64,
    /// Every status change, oldest first (staff-only notes left out).
    pub timeline: Vec<TimelineEntry>,
    /// Carrier and tracking number once shipped.
    pub shipment: Option<Shipment>,
}

/// How a parcel travels and how to follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    /// `Colissimo`, `Chronopost`, … (one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub carrier: String,
    /// The carrier's tracking number (one line).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub tracking_number: String,
}

/// Body of `POST /api/orders/{id}/status`: staff move an order on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `picking`, `shipped`, `delivered` or `cancelled`.
    pub to: OrderStatus,
    /// Required when shipping.
    #[serde(default)]
    pub shipment: Option<Shipment>,
    /// Why (shown in the timeline; one line).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
}

/// A paid order still not shipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StuckOrder {
    /// The order.
    pub id: OrderId,
    /// `paid` or `picking`.
    pub status: OrderStatus,
    /// Buyer.
    pub email: Email,
    /// When it was paid, unix ms.
    pub paid_at_ms: i64,
    /// Whole hours since.
    pub waiting_hours: i64,
}

/// An order in the staff board (`GET /api/orders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRow {
    /// The order.
    pub id: OrderId,
    /// Current status.
    pub status: OrderStatus,
    /// Buyer.
    pub email: Email,
    /// What was charged (or is to be).
    pub total: Money,
    /// Unix ms.
    pub created_at_ms: i64,
    /// When it was paid, unix ms.
    pub paid_at_ms: Option<i64>,
    /// Units bought, all lines together.
    pub item_count: i64,
}

/// One payment session opened for an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSessionInfo {
    /// The provider's session id.
    pub id: String,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// `open`, `complete` or `expired`.
    pub state: String,
    /// Amount asked.
    pub amount: Money,
    /// Unix ms.
    pub created_at_ms: i64,
}

/// The money side of an order, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentInfo {
    /// Every session, oldest first.
    pub sessions: Vec<PaymentSessionInfo>,
    /// The provider's payment reference (payment intent), once paid.
    pub reference: Option<String>,
    /// Captured: the total once paid, zero before (the kept payment only).
    pub captured: Money,
    /// Refunds of the kept payment that succeeded.
    pub refunded: Money,
    /// When it was paid, unix ms.
    pub paid_at_ms: Option<i64>,
    /// Every payment the provider took for the order, oldest first: the kept
    /// one, and any other (a second payment, a payment after cancellation),
    /// each refunded in full by a refund naming its reference.
    #[serde(default)]
    pub captures: Vec<CaptureInfo>,
}

/// One payment the provider took for an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaptureInfo {
    /// The provider's payment reference (payment intent).
    pub reference: String,
    /// The payment session it came through.
    pub session_id: String,
    /// What it took.
    pub amount: Money,
    /// Whether it is the payment that paid the order; any other is given back.
    pub kept: bool,
    /// Unix ms.
    pub at_ms: i64,
}

/// A payment or refund that did not go as it should.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingError {
    /// `amount_mismatch`, `refund_failed`, …
    pub kind: String,
    /// What happened.
    pub detail: String,
    /// The provider event or refund involved.
    pub event_id: String,
    /// Unix ms.
    pub at_ms: i64,
}

/// An order as staff see it (`GET /api/orders/{id}/staff`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffOrderView {
    /// What the buyer sees.
    pub order: OrderSummary,
    /// The account that placed it, when signed in.
    pub customer_id: Option<crate::ids::OpaqueId>,
    /// Sessions, capture, refunds total.
    pub payment: PaymentInfo,
    /// Every refund of the order, newest first.
    pub refunds: Vec<crate::refund::Refund>,
    /// Internal notes, oldest first.
    pub notes: Vec<crate::note::StaffNote>,
    /// Billing errors, oldest first.
    pub billing_errors: Vec<BillingError>,
}

/// One line of an order, frozen at checkout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    /// The SKU.
    pub sku: Sku,
    /// `Product name — Bleu · M`.
    pub description: String,
    /// Unit price charged, VAT included.
    pub unit_price: Money,
    /// Units.
    pub quantity: Quantity,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// Its VAT class, as priced.
    #[serde(default)]
    pub tax_class: crate::pricing::TaxClass,
}

/// One status change: when, to what, by whom, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// Unix milliseconds.
    pub at_ms: i64,
    /// The status entered.
    pub status: OrderStatus,
    /// `customer`, `payment`, `system`, or a staff member.
    pub actor: String,
    /// Short reason.
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn happy_path_is_allowed_and_skipping_is_not() {
        for (a, b) in [
            (PendingPayment, Paid),
            (Paid, Picking),
            (Picking, Shipped),
            (Shipped, Delivered),
        ] {
            assert!(a.can_become(b), "{a:?} -> {b:?}");
        }
        for (a, b) in [
            (PendingPayment, Shipped),
            (Delivered, Cancelled),
            (Cancelled, Paid),
            (Refunded, Paid),
            (Shipped, Cancelled),
        ] {
            assert!(!a.can_become(b), "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn terminal_states_go_nowhere() {
        for to in OrderStatus::ALL {
            assert!(!Cancelled.can_become(to));
            assert!(!Refunded.can_become(to));
        }
    }

    #[test]
    fn wire_names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
