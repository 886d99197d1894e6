//! The audit log: every staff action, who did it, to what, when. Written by
//! the functions in the transaction of the action itself; read by admins.

use serde::{Deserialize, Serialize};

use crate::ids::OpaqueId;

/// What a staff member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Moved an order along its state machine.
    OrderStatus,
    /// Wrote an internal note on an order.
    OrderNote,
    /// Approved a refund request.
    RefundApprove,
    /// Declined a refund request.
    RefundDecline,
    /// Refunded an amount directly.
    RefundDirect,
    /// Sent a committed refund to the provider.
    RefundExecute,
    /// Received goods into stock.
    StockReceipt,
    /// Corrected a stock count.
    StockAdjustment,
    /// Created a product.
    ProductCreate,
    /// Changed a product (publishing included).
    ProductUpdate,
    /// Created or changed a variant.
    VariantSave,
    /// Changed a category's translations.
    CategoryUpdate,
    /// Created a promotion code.
    PromotionCreate,
    /// Changed or disabled a promotion code.
    PromotionUpdate,
    /// Created a staff account.
    StaffCreate,
    /// Changed a staff account's role, or disabled/enabled it.
    StaffUpdate,
    /// Replied in a support thread.
    SupportReply,
    /// Set a support thread's status.
    SupportStatus,
    /// Wrote a note on a customer.
    CustomerNote,
    /// Changed the cost inputs of the KPIs.
    CostSettings,
    /// Closed a fiscal year's books.
    FiscalYearClose,
    /// Resolved a billing error.
    BillingErrorResolve,
    /// Numbered or named an account of the books.
    ChartUpdate,
    /// Changed the automation rules.
    AutomationSettings,
    /// Opened a support thread for a detractor's answer (automation).
    SupportOpen,
    /// Escalated a paid order not picked in time (automation).
    OrderEscalate,
    /// Created a supplier.
    SupplierCreate,
    /// Set who supplies a SKU, at what cost.
    SupplySet,
    /// Drafted a purchase order (by hand, or the low-stock rule).
    PurchaseOrderDraft,
    /// Sent, closed or cancelled a purchase order.
    PurchaseOrderStatus,
    /// Told a customer their order is late (automation).
    OrderLateNotice,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [Self; 31] = [
        Self::OrderStatus,
        Self::OrderNote,
        Self::RefundApprove,
        Self::RefundDecline,
        Self::RefundDirect,
        Self::RefundExecute,
        Self::StockReceipt,
        Self::StockAdjustment,
        Self::ProductCreate,
        Self::ProductUpdate,
        Self::VariantSave,
        Self::CategoryUpdate,
        Self::PromotionCreate,
        Self::PromotionUpdate,
        Self::StaffCreate,
        Self::StaffUpdate,
        Self::SupportReply,
        Self::SupportStatus,
        Self::CustomerNote,
        Self::CostSettings,
        Self::FiscalYearClose,
        Self::BillingErrorResolve,
        Self::ChartUpdate,
        Self::AutomationSettings,
        Self::SupportOpen,
        Self::OrderEscalate,
        Self::SupplierCreate,
        Self::SupplySet,
        Self::PurchaseOrderDraft,
        Self::PurchaseOrderStatus,
        Self::OrderLateNotice,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderStatus => "order_status",
            Self::OrderNote => "order_note",
            Self::RefundApprove => "refund_approve",
            Self::RefundDecline => "refund_decline",
            Self::RefundDirect => "refund_direct",
            Self::RefundExecute => "refund_execute",
            Self::StockReceipt => "stock_receipt",
            Self::StockAdjustment => "stock_adjustment",
            Self::ProductCreate => "product_create",
            Self::ProductUpdate => "product_update",
            Self::VariantSave => "variant_save",
            Self::CategoryUpdate => "category_update",
            Self::PromotionCreate => "promotion_create",
            Self::PromotionUpdate => "promotion_update",
            Self::StaffCreate => "staff_create",
            Self::StaffUpdate => "staff_update",
            Self::SupportReply => "support_reply",
            Self::SupportStatus => "support_status",
            Self::CustomerNote => "customer_note",
            Self::CostSettings => "cost_settings",
            Self::FiscalYearClose => "fiscal_year_close",
            Self::BillingErrorResolve => "billing_error_resolve",
            Self::ChartUpdate => "chart_update",
            Self::AutomationSettings => "automation_settings",
            Self::SupportOpen => "support_open",
            Self::OrderEscalate => "order_escalate",
            Self::SupplierCreate => "supplier_create",
            Self::SupplySet => "supply_set",
            Self::PurchaseOrderDraft => "purchase_order_draft",
            Self::PurchaseOrderStatus => "purchase_order_status",
            Self::OrderLateNotice => "order_late_notice",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw)
    }
}

/// One audit log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Its id.
    pub id: OpaqueId,
    /// When, unix ms.
    pub at_ms: i64,
    /// The staff account.
    pub actor_id: OpaqueId,
    /// Its e-mail at the time; `automation` for what the automation rules
    /// did.
    pub actor_email: String,
    /// What was done.
    pub action: AuditAction,
    /// To what: an order, refund, SKU, product, category, code, account or thread id.
    pub target: String,
    /// The particulars (new status, amount, delta…).
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
