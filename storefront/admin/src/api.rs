//! The staff calls, on the shared transport of `comptoir_ui::api`. Every
//! route checks the caller's role itself; this bundle only hides.

use comptoir_shared::account::{Customer360, CustomerRow, NewStaff, StaffMember, UpdateStaff};
use comptoir_shared::audience::Funnel;
use comptoir_shared::audit::AuditEntry;
use comptoir_shared::automation::{Automation, AutomationSettings};
use comptoir_shared::catalog_admin::{
    AdminCategory, AdminProduct, CategoryInput, ProductInput, PromotionListing, SetPublished,
    VariantInput,
};
use comptoir_shared::feedback::FeedbackTrends;
use comptoir_shared::ids::{OpaqueId, OrderId, ProductId, PromoCode, Sku};
use comptoir_shared::invoice::IssuedDocument;
use comptoir_shared::kpi::{CostSettings, KpiReport};
use comptoir_shared::ledger::{
    ChartAccount, ChartAccountInput, ClosedYear, LedgerLine, Role as AccountRole, VatReportLine,
};
use comptoir_shared::note::NewNote;
use comptoir_shared::order::{OrderRow, OrderSummary, StaffOrderView, StatusChange};
use comptoir_shared::payment::{BillingErrorRow, PayoutReport, ResolveBillingError};
use comptoir_shared::pricing::Promotion;
use comptoir_shared::purchasing::{
    PoReceipt, PoStatusChange, PurchaseOrder, SkuForecast, SkuForecastDetail, Supplier,
    SupplierInput, Supply, SupplyInput,
};
use comptoir_shared::refund::{ApproveRefund, DeclineRefund, Refund, RefundQueueItem, StaffRefund};
use comptoir_shared::retention::RetentionReport;
use comptoir_shared::stock::{Adjustment, Receipt, StockLevel, StockMovement};
use comptoir_shared::support::{NewMessage, SetThreadStatus, SupportThread, ThreadSummary};
use comptoir_ui::api::{CallResult, get, send, status_only};
use gloo_net::http::Request;
use serde::Serialize;

/// `key=value&…` with each value percent-encoded; empty values left out.
pub fn query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The orders board (50 a page, newest first).
pub async fn orders(q: &str) -> CallResult<Vec<OrderRow>> {
    get(&format!("/api/orders?{q}")).await
}

/// Everything staff know about an order.
pub async fn order(id: &OrderId) -> CallResult<StaffOrderView> {
    get(&format!("/api/orders/{id}/staff")).await
}

/// Moves an order along the state machine.
pub async fn change_status(id: &OrderId, body: &StatusChange) -> CallResult<OrderSummary> {
    send(Request::post(&format!("/api/orders/{id}/status")), body).await
}

/// An internal note on an order.
pub async fn order_note(id: &OrderId, body: &NewNote) -> CallResult<()> {
    post_only(&format!("/api/orders/{id}/notes"), body).await
}

/// Sends a committed refund to the provider (what a cancelled paid order needs under Spin).
pub async fn execute_refund(id: &OpaqueId) -> CallResult<Refund> {
    send(Request::post(&format!("/api/refunds/{id}/execute")), &()).await
}

/// Finance refunds an amount directly, without a customer request.
pub async fn direct_refund(body: &StaffRefund) -> CallResult<Refund> {
    send(Request::post("/api/refunds/direct"), body).await
}

/// Stock levels, optionally the low ones only.
pub async fn stock(low: bool) -> CallResult<Vec<StockLevel>> {
    get(if low {
        "/api/stock?low=1"
    } else {
        "/api/stock"
    })
    .await
}

/// A SKU's ledger.
pub async fn movements(sku: &Sku) -> CallResult<Vec<StockMovement>> {
    get(&format!("/api/stock/{sku}/movements")).await
}

/// Goods received; answers the ledger row written.
pub async fn receive(sku: &Sku, body: &Receipt) -> CallResult<StockMovement> {
    send(Request::post(&format!("/api/stock/{sku}/receipts")), body).await
}

/// A counted correction; answers the ledger row written.
pub async fn adjust(sku: &Sku, body: &Adjustment) -> CallResult<StockMovement> {
    send(
        Request::post(&format!("/api/stock/{sku}/adjustments")),
        body,
    )
    .await
}

/// Finance's queue.
pub async fn refunds(status: &str) -> CallResult<Vec<RefundQueueItem>> {
    get(&format!(
        "/api/refunds?{}",
        query(&[("status", status.to_owned())])
    ))
    .await
}

/// Approves (full or partial, optional restock).
pub async fn approve(id: &OpaqueId, body: &ApproveRefund) -> CallResult<Refund> {
    send(Request::post(&format!("/api/refunds/{id}/approve")), body).await
}

/// Declines with a reason the customer sees.
pub async fn decline(id: &OpaqueId, body: &DeclineRefund) -> CallResult<Refund> {
    send(Request::post(&format!("/api/refunds/{id}/decline")), body).await
}

/// Every invoice and credit note matching the query (50 a page, newest first).
pub async fn documents(q: &str) -> CallResult<Vec<IssuedDocument>> {
    get(&format!("/api/finance/documents?{q}")).await
}

/// A fiscal year's journal entries, numbered, in order.
pub async fn journal(year: i32) -> CallResult<Vec<LedgerLine>> {
    get(&format!("/api/finance/journal?year={year}")).await
}

/// A fiscal year's VAT collected, per month and rate.
pub async fn vat_report(year: i32) -> CallResult<Vec<VatReportLine>> {
    get(&format!("/api/finance/vat-report?year={year}")).await
}

/// The chart of accounts: each role's number and name, the shop's own or
/// the French chart's.
pub async fn chart() -> CallResult<Vec<ChartAccount>> {
    get("/api/finance/chart").await
}

/// Numbers and names a role's account (admin); answers the whole chart.
pub async fn set_chart_account(
    role: AccountRole,
    body: &ChartAccountInput,
) -> CallResult<Vec<ChartAccount>> {
    send(
        Request::put(&format!("/api/finance/chart/{}", role.as_str())),
        body,
    )
    .await
}

/// The body `{}` of the calls that need none.
#[derive(Serialize)]
struct Empty {}

/// Locks an ended fiscal year's books (`conflict` while it has not ended).
pub async fn close_year(year: i32) -> CallResult<ClosedYear> {
    send(
        Request::post(&format!("/api/finance/years/{year}/close")),
        &Empty {},
    )
    .await
}

/// Billing errors, newest first: the open ones only, or all.
pub async fn billing_errors(open: bool) -> CallResult<Vec<BillingErrorRow>> {
    get(if open {
        "/api/finance/billing-errors?open=true"
    } else {
        "/api/finance/billing-errors"
    })
    .await
}

/// Marks a billing error resolved (`conflict` if it already is).
pub async fn resolve_billing_error(
    id: &OpaqueId,
    body: &ResolveBillingError,
) -> CallResult<BillingErrorRow> {
    send(
        Request::post(&format!("/api/finance/billing-errors/{id}/resolve")),
        body,
    )
    .await
}

/// The sandbox provider pays out what it holds (`None`: nothing to pay
/// out; `conflict` when the shop uses Stripe).
pub async fn sandbox_payout() -> CallResult<Option<PayoutReport>> {
    send(Request::post("/api/payments/payouts/sandbox"), &Empty {}).await
}

/// The whole catalog, unpublished included.
pub async fn products() -> CallResult<Vec<AdminProduct>> {
    get("/api/catalog/admin/products").await
}

/// Creates or replaces a product.
pub async fn save_product(id: &ProductId, body: &ProductInput) -> CallResult<AdminProduct> {
    send(
        Request::put(&format!("/api/catalog/admin/products/{id}")),
        body,
    )
    .await
}

/// Every category the products name, with its translations.
pub async fn categories() -> CallResult<Vec<AdminCategory>> {
    get("/api/catalog/admin/categories").await
}

/// Replaces a category's translations.
pub async fn save_category(name: &str, body: &CategoryInput) -> CallResult<AdminCategory> {
    let name = String::from(js_sys::encode_uri_component(name));
    send(
        Request::put(&format!("/api/catalog/admin/categories/{name}")),
        body,
    )
    .await
}

/// Publishes or withdraws a product.
pub async fn publish(id: &ProductId, published: bool) -> CallResult<AdminProduct> {
    send(
        Request::post(&format!("/api/catalog/admin/products/{id}/published")),
        &SetPublished { published },
    )
    .await
}

/// Creates or replaces a variant.
pub async fn save_variant(
    id: &ProductId,
    sku: &Sku,
    body: &VariantInput,
) -> CallResult<AdminProduct> {
    send(
        Request::put(&format!("/api/catalog/admin/products/{id}/variants/{sku}")),
        body,
    )
    .await
}

/// Every promotion code with its uses.
pub async fn promotions() -> CallResult<Vec<PromotionListing>> {
    get("/api/promotions").await
}

/// Creates a code.
pub async fn create_promotion(body: &Promotion) -> CallResult<Promotion> {
    send(Request::post("/api/promotions"), body).await
}

/// Replaces a code's terms.
pub async fn update_promotion(code: &PromoCode, body: &Promotion) -> CallResult<Promotion> {
    send(Request::put(&format!("/api/promotions/{code}")), body).await
}

/// Switches a code off.
pub async fn disable_promotion(code: &PromoCode) -> CallResult<Promotion> {
    send(
        Request::post(&format!("/api/promotions/{code}/disable")),
        &(),
    )
    .await
}

/// Customers matching `q`.
pub async fn customers(q: &str) -> CallResult<Vec<CustomerRow>> {
    get(&format!(
        "/api/accounts/customers?{}",
        query(&[("q", q.to_owned())])
    ))
    .await
}

/// One customer, all round.
pub async fn customer(id: &OpaqueId) -> CallResult<Customer360> {
    get(&format!("/api/accounts/customers/{id}")).await
}

/// A staff note on a customer.
pub async fn customer_note(id: &OpaqueId, body: &NewNote) -> CallResult<()> {
    post_only(&format!("/api/accounts/customers/{id}/notes"), body).await
}

/// The support inbox.
pub async fn inbox(q: &str) -> CallResult<Vec<ThreadSummary>> {
    get(&format!("/api/support/threads?{q}")).await
}

/// One thread.
pub async fn thread(id: &OpaqueId) -> CallResult<SupportThread> {
    get(&format!("/api/support/threads/{id}")).await
}

/// A reply the customer sees in their portal.
pub async fn reply(id: &OpaqueId, body: &NewMessage) -> CallResult<SupportThread> {
    send(
        Request::post(&format!("/api/support/threads/{id}/messages")),
        body,
    )
    .await
}

/// Opens, parks or closes a thread.
pub async fn set_thread_status(id: &OpaqueId, body: &SetThreadStatus) -> CallResult<SupportThread> {
    send(
        Request::post(&format!("/api/support/threads/{id}/status")),
        body,
    )
    .await
}

/// The KPI report over `[from, to)` (unix ms).
pub async fn kpis(from_ms: i64, to_ms: i64) -> CallResult<KpiReport> {
    get(&format!("/api/kpis?from={from_ms}&to={to_ms}")).await
}

/// Customer cohorts of first orders in `[from, to)` (unix ms).
pub async fn retention(from_ms: i64, to_ms: i64) -> CallResult<RetentionReport> {
    get(&format!("/api/kpis/retention?from={from_ms}&to={to_ms}")).await
}

/// Survey trends and comments over `[from, to)` (unix ms).
pub async fn feedback(from_ms: i64, to_ms: i64) -> CallResult<FeedbackTrends> {
    get(&format!("/api/kpis/feedback?from={from_ms}&to={to_ms}")).await
}

/// The visitor funnel over `[from_ms, to_ms)`.
pub async fn funnel(from_ms: i64, to_ms: i64) -> CallResult<Funnel> {
    get(&format!("/api/kpis/funnel?from={from_ms}&to={to_ms}")).await
}

/// Replaces the cost inputs.
pub async fn set_costs(body: &CostSettings) -> CallResult<CostSettings> {
    send(Request::put("/api/kpis/costs"), body).await
}

/// The audit log.
pub async fn audit(q: &str) -> CallResult<Vec<AuditEntry>> {
    get(&format!("/api/audit?{q}")).await
}

/// Staff accounts.
pub async fn staff() -> CallResult<Vec<StaffMember>> {
    get("/api/accounts/staff").await
}

/// A new staff account.
pub async fn create_staff(body: &NewStaff) -> CallResult<StaffMember> {
    send(Request::post("/api/accounts/staff"), body).await
}

/// A role change or (de)activation.
pub async fn update_staff(id: &OpaqueId, body: &UpdateStaff) -> CallResult<StaffMember> {
    send(Request::post(&format!("/api/accounts/staff/{id}")), body).await
}

async fn post_only(url: &str, body: &impl Serialize) -> CallResult<()> {
    match Request::post(url).json(body) {
        Ok(request) => status_only(request.send().await).await,
        Err(e) => Err(comptoir_ui::api::CallError::Network(e.to_string())),
    }
}

/// Every SKU's forecast, soonest stockout first.
pub async fn forecasts() -> CallResult<Vec<SkuForecast>> {
    get("/api/stock/forecast").await
}

/// One SKU's sales history and forecast.
pub async fn forecast(sku: &Sku) -> CallResult<SkuForecastDetail> {
    get(&format!("/api/stock/{sku}/forecast")).await
}

/// The suppliers.
pub async fn suppliers() -> CallResult<Vec<Supplier>> {
    get("/api/stock/suppliers").await
}

/// Creates a supplier.
pub async fn create_supplier(body: &SupplierInput) -> CallResult<Supplier> {
    send(Request::post("/api/stock/suppliers"), body).await
}

/// Sets who supplies a SKU.
pub async fn set_supply(sku: &Sku, body: &SupplyInput) -> CallResult<Supply> {
    send(Request::put(&format!("/api/stock/{sku}/supply")), body).await
}

/// Purchase orders, newest first.
pub async fn purchase_orders() -> CallResult<Vec<PurchaseOrder>> {
    get("/api/stock/purchase-orders").await
}

/// Drafts purchase orders from the forecast's suggestions.
pub async fn draft_purchase_orders() -> CallResult<Vec<PurchaseOrder>> {
    send(Request::post("/api/stock/purchase-orders/drafts"), &()).await
}

/// Sends, closes or cancels a purchase order.
pub async fn set_purchase_order_status(
    id: &OpaqueId,
    body: &PoStatusChange,
) -> CallResult<PurchaseOrder> {
    send(
        Request::post(&format!("/api/stock/purchase-orders/{id}/status")),
        body,
    )
    .await
}

/// Receives goods against a purchase order.
pub async fn receive_purchase_order(id: &OpaqueId, body: &PoReceipt) -> CallResult<PurchaseOrder> {
    send(
        Request::post(&format!("/api/stock/purchase-orders/{id}/receipts")),
        body,
    )
    .await
}

/// The automation rules and open alerts.
pub async fn automation() -> CallResult<Automation> {
    get("/api/jobs/automation").await
}

/// Changes the automation rules.
pub async fn set_automation(body: &AutomationSettings) -> CallResult<Automation> {
    send(Request::put("/api/jobs/automation"), body).await
}
