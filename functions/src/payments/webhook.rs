//! `POST /api/payments/webhook`: provider events, Stripe's shape.
//!
//! Verify the signature over the raw body → record the event id (a replay is
//! acknowledged and changes nothing) → apply it, in the same transaction:
//! a completed payment is recorded as a capture, once per provider payment
//! (a payment announced again adds nothing). The one whose amount and
//! currency match an order awaiting payment is kept: it marks the order paid
//! and sells its reserved stock. Any other capture — a second payment, a
//! payment after cancellation — is a billing error whose full refund is
//! committed in the same transaction and sent right after commit; the order
//! keeps its status and is never marked paid by it. An amount that does not
//! match an order awaiting payment is a billing error and the order stays
//! payable. A completed session closes whatever the outcome. A failed or
//! expired payment cancels the order and releases its stock; refund events
//! settle our refunds (or record one made at the provider), in any order
//! relative to the payment's own events.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use comptoir_shared::ids::{OpaqueId, OrderId};
use comptoir_shared::order::OrderStatus;
use comptoir_shared::refund::RefundStatus;
use comptoir_shared::{ApiError, Currency, Money};
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::params;
use crate::port::{Executor, Host, new_id};
use crate::{orders, stock};

use super::signature;

/// A provider event (Stripe's shape), as much of it as the shop reads; other
/// fields are ignored.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ProviderEvent)]
pub struct Event {
    /// `evt_…`, unique per event.
    pub id: String,
    /// `checkout.session.completed`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The object the event is about.
    pub data: EventData,
}

/// `data` of an event.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ProviderEventData)]
pub struct EventData {
    /// The object the event is about (a Checkout Session, a Refund, a Charge).
    pub object: serde_json::Value,
}

/// The fields of a Checkout Session the shop acts on.
#[derive(Debug, Deserialize)]
pub struct CheckoutSessionObject {
    /// Session id.
    pub id: String,
    /// Amount charged, minor units.
    pub amount_total: Option<i64>,
    /// Lower-case ISO code.
    pub currency: Option<String>,
    /// `paid`, `unpaid`, `no_payment_required`.
    pub payment_status: Option<String>,
    /// The PaymentIntent that took the money (what refunds refer to).
    #[serde(default)]
    pub payment_intent: Option<String>,
    /// Carries `order_id`.
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
}

/// The fields of a Refund the shop acts on.
#[derive(Debug, Deserialize)]
pub struct RefundObject {
    /// `re_…`
    pub id: String,
    /// Minor units.
    pub amount: i64,
    /// `pending`, `succeeded`, `failed`, `canceled`, …
    pub status: String,
    /// The PaymentIntent refunded.
    #[serde(default)]
    pub payment_intent: Option<String>,
    /// Carries `refund_id` and `order_id` when the shop created it.
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
}

/// The fields of a Charge (`charge.refunded`) the shop acts on.
#[derive(Debug, Deserialize)]
pub struct ChargeObject {
    /// `ch_…`
    pub id: String,
    /// Total refunded on this charge so far, minor units.
    #[serde(default)]
    pub amount_refunded: i64,
    /// The PaymentIntent charged.
    #[serde(default)]
    pub payment_intent: Option<String>,
    /// Its refunds, as Stripe expands them.
    #[serde(default)]
    pub refunds: Option<RefundList>,
    /// Metadata copied from the PaymentIntent.
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
}

/// A Stripe list of refunds.
#[derive(Debug, Deserialize)]
pub struct RefundList {
    /// The refunds.
    pub data: Vec<RefundObject>,
}

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The order is now paid.
    Paid,
    /// The order is cancelled and its stock released.
    Cancelled,
    /// Recorded as a billing error; the order was not marked paid.
    BillingError,
    /// A refund was settled or recorded.
    Refund,
    /// A payout was recorded and reconciled.
    Payout,
    /// Seen before; nothing changed.
    Duplicate,
    /// Nothing to do for this event (type not handled, or order already settled).
    Ignored,
}

/// The webhook's answer body.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ack {
    /// What happened.
    pub outcome: Outcome,
}

/// Receives a provider event.
#[utoipa::path(
    post,
    path = "/api/payments/webhook",
    operation_id = "receive_payment_event",

    summary = "Receive a payment provider event (webhook)",
    tag = "payments",
    description = "Public; called by the payment provider, authenticated by its signature (and \
        exempt from the origin rule). The event is recorded once by id (a replay is acknowledged \
        and changes nothing) and applied: a completed payment that matches its order marks it \
        paid; one that does not is a billing error; a failed or expired payment cancels the \
        order; refund events settle refunds.",
    params(("Stripe-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" with the webhook secret>`; several `v1` allowed; at most 5 minutes old.")),
    request_body = Event,
    security(()),
    responses(
        (status = 200, description = "Acknowledged, with what it did.", body = Ack),
        (status = 400, description = "`invalid_signature`: missing, stale or wrong signature.", body = ApiError),
        (status = 422, description = "`validation`: the event or its object lacks a field the shop reads.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Json<Ack>> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::InvalidSignature)?;
    process(&host, signature, &body)
        .await
        .map(|outcome| Json(Ack { outcome }))
}

/// Verifies and applies one signed event; shared by the HTTP endpoint and the
/// sandbox provider, so both take exactly the same path.
pub async fn process(host: &Host, signature_header: &str, body: &[u8]) -> AppResult<Outcome> {
    let now = host.clock.now_ms();
    signature::verify(
        signature_header,
        body,
        &host.config.webhook_secret,
        now / 1000,
    )
    .map_err(|_| ApiError::InvalidSignature)?;
    let event: Event = crate::extract::parse_json(body)?;
    // A Stripe payout: what it settles is read from Stripe before the
    // transaction (a replayed event reads it again and records nothing).
    // Stripe lists what a payout settles once it has reconciled it
    // (`reconciliation_status` `completed`, announced by
    // `payout.reconciliation_completed`); a manual payout it never lists.
    let payout = match (event.kind.as_str(), host.config.payment_provider) {
        (
            "payout.paid" | "payout.reconciliation_completed",
            crate::config::PaymentProvider::Stripe,
        ) => {
            let paid: PayoutObject = object(&event)?;
            let transactions = match (paid.automatic, paid.reconciliation_status.as_deref()) {
                (Some(false), _) => Some(None),
                (_, Some("completed")) => {
                    Some(super::provider::Stripe::payout_transactions(host, &paid.id).await?)
                }
                // Not reconciled yet: `payout.reconciliation_completed` follows.
                _ => None,
            };
            transactions.map(|transactions| super::payouts::ProviderPayout {
                id: paid.id,
                amount: paid.amount,
                arrival_at_ms: paid.arrival_date.saturating_mul(1000),
                currency: paid.currency,
                transactions,
            })
        }
        _ => None,
    };
    let mut tx = host.db.begin().await?;
    let mut refunds_due = Vec::new();
    let fresh = tx
        .optional(
            "INSERT INTO payment_events (id, type, order_id, outcome, received_at) VALUES (?1, ?2, NULL, 'pending', ?3) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            params![&event.id, &event.kind, now],
        )
        .await?;
    if fresh.is_none() {
        return Ok(Outcome::Duplicate);
    }
    let outcome = match event.kind.as_str() {
        "checkout.session.completed"
        | "checkout.session.async_payment_succeeded"
        | "checkout.session.async_payment_failed"
        | "checkout.session.expired" => {
            let session: CheckoutSessionObject = object(&event)?;
            let order = session
                .metadata
                .get("order_id")
                .and_then(|raw| OrderId::parse(raw).ok());
            if event.kind == "checkout.session.completed" {
                // Completed at the provider is closed here, whatever follows:
                // a completed session is never paid through again.
                super::db::close(tx.as_mut(), &session.id, "complete").await?;
            }
            match (event.kind.as_str(), order) {
                (
                    "checkout.session.async_payment_failed" | "checkout.session.expired",
                    Some(order),
                ) => fail(tx.as_mut(), &event, &session, &order, now).await?,
                (_, Some(order)) if session.payment_status.as_deref() == Some("paid") => {
                    let paid = Paid {
                        event: &event,
                        session: &session,
                        order: &order,
                        config: &host.config,
                    };
                    settle(tx.as_mut(), &paid, now, &mut refunds_due).await?
                }
                _ => Outcome::Ignored,
            }
        }
        "refund.created" | "refund.updated" | "refund.failed" => {
            let refund: RefundObject = object(&event)?;
            refund_event(tx.as_mut(), &event, &refund, None, now).await?
        }
        "charge.refunded" => {
            let charge: ChargeObject = object(&event)?;
            let order = charge.metadata.get("order_id").cloned();
            let mut outcome = Outcome::Ignored;
            let hint = (order.as_deref(), charge.payment_intent.as_deref());
            let listed: Vec<&RefundObject> =
                charge.refunds.iter().flat_map(|list| &list.data).collect();
            for refund in &listed {
                outcome = refund_event(tx.as_mut(), &event, refund, Some(hint), now).await?;
            }
            if listed.is_empty() {
                // Recent API versions do not expand `refunds`: account for the
                // part of `amount_refunded` we know nothing about yet.
                outcome = unlisted_refund(tx.as_mut(), &event, &charge, hint, now).await?;
            }
            outcome
        }
        "payout.paid" | "payout.reconciliation_completed" => match &payout {
            Some(paid) => match super::payouts::record(host, tx.as_mut(), paid, now).await? {
                Some(_) => Outcome::Payout,
                None => Outcome::Duplicate,
            },
            None => Outcome::Ignored,
        },
        _ => Outcome::Ignored,
    };
    tx.query(
        "UPDATE payment_events SET outcome = ?2 WHERE id = ?1",
        params![&event.id, outcome_name(outcome)],
    )
    .await?;
    tx.commit().await?;
    // Money that must go back (a capture not kept) goes back now; if the
    // provider is down the refund stays `pending` for `execute_stale`.
    for refund in refunds_due {
        if let Err(e) = super::refund::execute(host, &refund).await {
            tracing::error!(%refund, error = ?e, "refund not executed yet");
        }
    }
    Ok(outcome)
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Paid => "paid",
        Outcome::Cancelled => "cancelled",
        Outcome::BillingError => "billing_error",
        Outcome::Refund => "refund",
        Outcome::Payout => "payout",
        Outcome::Duplicate => "duplicate",
        Outcome::Ignored => "ignored",
    }
}

fn object<T: serde::de::DeserializeOwned>(event: &Event) -> Result<T, ApiError> {
    serde_json::from_value(event.data.object.clone())
        .map_err(|e| ApiError::validation("data.object", e.to_string()))
}

/// A `payout` event's object: what the shop reads of it.
#[derive(Debug, Deserialize)]
struct PayoutObject {
    id: String,
    amount: i64,
    /// Unix seconds.
    arrival_date: i64,
    currency: String,
    /// `false` for a manual payout (Stripe cannot list what it settles).
    automatic: Option<bool>,
    /// `completed` once Stripe can list what it settles.
    reconciliation_status: Option<String>,
}

/// Signs `event` with the webhook secret and applies it through [`process`]:
/// how the sandbox provider speaks, on exactly the path Stripe's events take.
pub async fn deliver_signed(host: &Host, event: &serde_json::Value) -> AppResult<Outcome> {
    let body = serde_json::to_vec(event).map_err(anyhow::Error::from)?;
    let header = signature::sign(
        &host.config.webhook_secret,
        host.clock.now_ms() / 1000,
        &body,
    );
    // Boxed: a sandbox refund inside `process` delivers an event through it.
    Box::pin(process(host, &header, &body)).await
}

/// A completed checkout session, as [`settle`] applies it.
struct Paid<'a> {
    event: &'a Event,
    session: &'a CheckoutSessionObject,
    order: &'a OrderId,
    config: &'a crate::config::Config,
}

async fn settle(
    tx: &mut dyn Executor,
    paid: &Paid<'_>,
    now: i64,
    refunds_due: &mut Vec<OpaqueId>,
) -> AppResult<Outcome> {
    let Paid {
        event,
        session,
        order,
        config,
    } = *paid;
    tx.query(
        "UPDATE payment_events SET order_id = ?2 WHERE id = ?1",
        params![&event.id, order.as_str()],
    )
    .await?;
    let Some(head) = orders::head(tx, order).await? else {
        billing_error(
            tx,
            None,
            event,
            "unknown_order",
            "payment for an order we do not have",
            now,
        )
        .await?;
        return Ok(Outcome::BillingError);
    };
    let currency = session.currency.as_deref().and_then(Currency::parse);
    let pending = head.status == OrderStatus::PendingPayment;
    let amount = match (session.amount_total, currency) {
        (Some(amount), Some(currency)) if amount > 0 => Money { amount, currency },
        // Nothing we could give back: for staff to look at.
        _ => {
            let detail = format!(
                "charged {:?} {:?}, order total {} {}",
                session.amount_total,
                session.currency,
                head.total.amount,
                head.total.currency.code()
            );
            billing_error(tx, Some(order), event, "amount_mismatch", &detail, now).await?;
            return Ok(Outcome::BillingError);
        }
    };
    let reference = session.payment_intent.as_deref().unwrap_or(&session.id);
    let capture = super::db::NewCapture {
        order,
        session_id: &session.id,
        reference,
        amount,
        event_id: &event.id,
    };
    let Some(id) = super::db::record_capture(tx, &capture, now).await? else {
        // This payment is known (another event about it, or a replay under a
        // new id): it was kept or refunded when first recorded.
        return Ok(Outcome::Ignored);
    };
    // Only the exact total pays an order awaiting payment; any other money
    // taken goes back in full, and the order stays payable.
    if !pending || amount != head.total {
        return give_back(tx, event, &capture, head, now, refunds_due).await;
    }
    super::db::keep_capture(tx, &id).await?;
    orders::transition(
        tx,
        order,
        OrderStatus::Paid,
        "payment",
        "payment captured",
        now,
    )
    .await?;
    tx.query(
        "UPDATE orders SET paid_at = ?2, payment_reference = ?3 WHERE id = ?1",
        params![order.as_str(), now, reference],
    )
    .await?;
    // The sale's invoice, numbered in this transaction: paid and invoiced
    // are one fact.
    crate::accounting::issue_invoice(tx, config, order, now).await?;
    stock::sell_order(tx, order, now).await?;
    crate::outbox::enqueue(
        tx,
        crate::outbox::Kind::OrderConfirmation,
        order,
        "",
        "",
        now,
    )
    .await?;
    // Paid: no other session of the order may take money any more.
    orders::close_sessions(tx, order, &orders::SessionsToClose::AllBut(&session.id)).await?;
    // A refund made at the provider may have been announced before this
    // event: its credit note could not be issued before the invoice.
    crate::refunds::db::sync_order_status(tx, order, now).await?;
    crate::refunds::db::credit_succeeded(tx, order, now).await?;
    Ok(Outcome::Paid)
}

/// A capture the order does not keep (it is paid already, or cancelled, or
/// the amount is not its total): flagged, and its full refund committed in
/// this transaction, naming the capture. The order's status, `paid_at` and
/// payment reference stay as they are: this money was never a sale.
async fn give_back(
    tx: &mut dyn Executor,
    event: &Event,
    capture: &super::db::NewCapture<'_>,
    head: orders::OrderHead,
    now: i64,
    refunds_due: &mut Vec<OpaqueId>,
) -> AppResult<Outcome> {
    let (order, reference, amount) = (capture.order, capture.reference, capture.amount);
    let (kind, reason) = match head.status {
        OrderStatus::Cancelled => ("paid_after_cancel", "paid after the order was cancelled"),
        OrderStatus::PendingPayment => ("amount_mismatch", "paid an amount other than the order's"),
        _ => ("double_payment", "paid twice"),
    };
    let detail = format!(
        "payment {reference} of {} {} for a {} order of {} {}, refunded in full",
        amount.amount,
        amount.currency.code(),
        head.status.as_str(),
        head.total.amount,
        head.total.currency.code()
    );
    billing_error(tx, Some(order), event, kind, &detail, now).await?;
    // Received, never a sale: booked on the suspense account, no invoice.
    crate::accounting::book_suspense(
        tx,
        crate::accounting::Suspense {
            event: "stray_capture",
            source: reference,
            piece: reference,
            label: format!("Encaissement à régulariser {reference}"),
            amount: amount.amount,
        },
        now,
    )
    .await?;
    let refund =
        crate::refunds::db::commit_stray(tx, order, reference, amount.amount, reason, now).await?;
    refunds_due.push(refund);
    Ok(Outcome::BillingError)
}

async fn fail(
    tx: &mut dyn Executor,
    event: &Event,
    session: &CheckoutSessionObject,
    order: &OrderId,
    now: i64,
) -> AppResult<Outcome> {
    tx.query(
        "UPDATE payment_events SET order_id = ?2 WHERE id = ?1",
        params![&event.id, order.as_str()],
    )
    .await?;
    let note = if event.kind == "checkout.session.expired" {
        "payment session expired"
    } else {
        "payment declined"
    };
    // Only the end of the session the order is being paid through ends the
    // order: one the shop closed itself (a surplus, one of a cancelled or
    // paid order) expiring at the provider, as asked, changes nothing. A
    // session completes before its delayed payment fails.
    // Nor does anything end an order that is no longer awaiting payment
    // (another session paid it meanwhile): a late failure changes nothing.
    if orders::head(tx, order)
        .await?
        .is_none_or(|head| head.status != OrderStatus::PendingPayment)
    {
        return Ok(Outcome::Ignored);
    }
    let state = super::db::session_state(tx, &session.id, order).await?;
    let current = match state.as_deref() {
        Some("open") => true,
        Some("complete") => event.kind == "checkout.session.async_payment_failed",
        _ => false,
    };
    if !current {
        return Ok(Outcome::Ignored);
    }
    // The provider closed this session itself: closed first, it is not one
    // the cancellation below marks as owed an expiry there.
    super::db::close(tx, &session.id, "expired").await?;
    orders::transition(tx, order, OrderStatus::Cancelled, "payment", note, now).await?;
    stock::release_order(tx, order, now).await?;
    Ok(Outcome::Cancelled)
}

/// Settles one of our refunds from a provider event, or records a refund
/// made at the provider (dashboard) against its order. `hint` is the charge's
/// `(order_id, payment_intent)` for `charge.refunded`.
async fn refund_event(
    tx: &mut dyn Executor,
    event: &Event,
    refund: &RefundObject,
    hint: Option<(Option<&str>, Option<&str>)>,
    now: i64,
) -> AppResult<Outcome> {
    let status = super::provider::refund_status(&refund.status);
    let ours = match refund
        .metadata
        .get("refund_id")
        .and_then(|raw| OpaqueId::parse(raw).ok())
    {
        Some(id) => Some(id),
        None => tx
            .optional(
                "SELECT id FROM refunds WHERE provider_refund_id = ?1",
                params![&refund.id],
            )
            .await?
            .map(|r| r.parse(0, OpaqueId::parse))
            .transpose()?,
    };
    let id = match ours {
        Some(id) => id,
        None => {
            let order_ref = refund
                .metadata
                .get("order_id")
                .map(String::as_str)
                .or(hint.and_then(|h| h.0));
            let intent = refund.payment_intent.as_deref().or(hint.and_then(|h| h.1));
            let Some(order) = find_order(tx, order_ref, intent).await? else {
                billing_error(
                    tx,
                    None,
                    event,
                    "unknown_refund",
                    &format!("refund {} for no known order", refund.id),
                    now,
                )
                .await?;
                return Ok(Outcome::BillingError);
            };
            let id = new_id();
            let stray = stray_capture(tx, intent).await?;
            tx.query(
                "INSERT INTO refunds (id, order_id, status, requested_cents, amount_cents, reason, requested_by, decided_by, \
                    provider_refund_id, created_at, decided_at, capture_reference) \
                 VALUES (?1, ?2, 'pending', ?3, ?3, 'refunded at the payment provider', 'provider', 'provider', ?4, ?5, ?5, ?6) \
                 ON CONFLICT (provider_refund_id) DO NOTHING",
                params![id.as_str(), order.as_str(), refund.amount, &refund.id, now, stray],
            )
            .await?;
            id
        }
    };
    if status != RefundStatus::Pending {
        crate::refunds::db::settle(tx, &id, Some(&refund.id), status, now).await?;
    }
    Ok(Outcome::Refund)
}

/// A `charge.refunded` without its refund list: records the difference
/// between the charge's `amount_refunded` and what the order already knows
/// as one settled refund (keyed by charge and total, so a replay adds nothing).
async fn unlisted_refund(
    tx: &mut dyn Executor,
    event: &Event,
    charge: &ChargeObject,
    hint: (Option<&str>, Option<&str>),
    now: i64,
) -> AppResult<Outcome> {
    let Some(order) = find_order(tx, hint.0, hint.1).await? else {
        billing_error(
            tx,
            None,
            event,
            "unknown_refund",
            &format!("charge {} refunded for no known order", charge.id),
            now,
        )
        .await?;
        return Ok(Outcome::BillingError);
    };
    // What is known of this charge's payment: a capture the order did not
    // keep has its own refunds; the kept payment has the others.
    let stray = stray_capture(tx, hint.1).await?;
    let known = tx
        .one(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE order_id = ?1 AND status IN ('pending', 'succeeded') \
               AND COALESCE(capture_reference, '') = COALESCE(?2, '')",
            params![order.as_str(), stray.as_deref()],
        )
        .await?
        .int(0)?;
    let unknown = charge.amount_refunded - known;
    if unknown <= 0 {
        return Ok(Outcome::Ignored);
    }
    let refund = RefundObject {
        id: format!("{}:{}", charge.id, charge.amount_refunded),
        amount: unknown,
        status: "succeeded".into(),
        payment_intent: charge.payment_intent.clone(),
        metadata: std::collections::HashMap::new(),
    };
    refund_event(
        tx,
        event,
        &refund,
        Some((Some(order.as_str()), hint.1)),
        now,
    )
    .await
}

async fn find_order(
    tx: &mut dyn Executor,
    order: Option<&str>,
    payment_intent: Option<&str>,
) -> anyhow::Result<Option<OrderId>> {
    if let Some(order) = order.and_then(|raw| OrderId::parse(raw).ok())
        && orders::head(tx, &order).await?.is_some()
    {
        return Ok(Some(order));
    }
    let Some(intent) = payment_intent else {
        return Ok(None);
    };
    if let Some((order, _)) = super::db::capture_by_reference(tx, intent).await? {
        return Ok(Some(order));
    }
    tx.optional(
        "SELECT id FROM orders WHERE payment_reference = ?1",
        params![intent],
    )
    .await?
    .map(|r| r.parse(0, OrderId::parse))
    .transpose()
}

/// `payment_intent` when it is a capture its order did not keep (its refunds
/// give that capture back, not the order's payment).
async fn stray_capture(
    tx: &mut dyn Executor,
    payment_intent: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let Some(intent) = payment_intent else {
        return Ok(None);
    };
    Ok(match super::db::capture_by_reference(tx, intent).await? {
        Some((_, false)) => Some(intent.to_owned()),
        _ => None,
    })
}

async fn billing_error(
    tx: &mut dyn Executor,
    order: Option<&OrderId>,
    event: &Event,
    kind: &str,
    detail: &str,
    now: i64,
) -> anyhow::Result<()> {
    super::payouts::billing_error(tx, order.map(OrderId::as_str), &event.id, kind, detail, now)
        .await
}
