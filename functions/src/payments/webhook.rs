//! `POST /api/payments/webhook`: provider events, Stripe's shape.
//!
//! Verify the signature over the raw body → record the event id (a replay is
//! acknowledged and changes nothing) → apply it, in the same transaction:
//! a completed payment whose amount and currency match the order marks it
//! paid and sells its reserved stock; anything that does not match is a
//! billing error and the order stays unpaid; a failed or expired payment
//! cancels the order and releases its stock.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use comptoir_shared::ids::OrderId;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::{ApiError, Currency};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::params;
use crate::port::{Executor, Host, new_id};
use crate::{orders, stock};

use super::signature;

/// A provider event, as much of it as we read.
#[derive(Debug, Deserialize)]
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
#[derive(Debug, Deserialize)]
pub struct EventData {
    /// The checkout session.
    pub object: CheckoutSessionObject,
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
    /// Carries `order_id`.
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
}

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The order is now paid.
    Paid,
    /// The order is cancelled and its stock released.
    Cancelled,
    /// Recorded as a billing error; the order was not marked paid.
    BillingError,
    /// Seen before; nothing changed.
    Duplicate,
    /// Nothing to do for this event (type not handled, or order already settled).
    Ignored,
}

/// The webhook's answer body.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ack {
    /// What happened.
    pub outcome: Outcome,
}

/// Receives a provider event.
pub async fn handle(
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
    let order = event
        .data
        .object
        .metadata
        .get("order_id")
        .and_then(|raw| OrderId::parse(raw).ok());

    let mut tx = host.db.begin().await?;
    let fresh = tx
        .optional(
            "INSERT INTO payment_events (id, type, order_id, outcome, received_at) VALUES (?1, ?2, ?3, 'pending', ?4) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            params![&event.id, &event.kind, order.as_ref().map(OrderId::as_str), now],
        )
        .await?;
    if fresh.is_none() {
        return Ok(Outcome::Duplicate);
    }
    let outcome = match (event.kind.as_str(), order) {
        (
            "checkout.session.completed" | "checkout.session.async_payment_succeeded",
            Some(order),
        ) if event.data.object.payment_status.as_deref() == Some("paid") => {
            settle(tx.as_mut(), &event, &order, now).await?
        }
        ("checkout.session.async_payment_failed" | "checkout.session.expired", Some(order)) => {
            fail(tx.as_mut(), &event, &order, now).await?
        }
        _ => Outcome::Ignored,
    };
    tx.query(
        "UPDATE payment_events SET outcome = ?2 WHERE id = ?1",
        params![&event.id, outcome_name(outcome)],
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Paid => "paid",
        Outcome::Cancelled => "cancelled",
        Outcome::BillingError => "billing_error",
        Outcome::Duplicate => "duplicate",
        Outcome::Ignored => "ignored",
    }
}

async fn settle(
    tx: &mut dyn Executor,
    event: &Event,
    order: &OrderId,
    now: i64,
) -> AppResult<Outcome> {
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
    let session = &event.data.object;
    let currency = session.currency.as_deref().and_then(Currency::parse);
    if session.amount_total != Some(head.total.amount) || currency != Some(head.total.currency) {
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
    match head.status {
        OrderStatus::PendingPayment => {}
        OrderStatus::Cancelled => {
            // Money arrived for an order we already gave up on: keep it visible.
            billing_error(
                tx,
                Some(order),
                event,
                "paid_after_cancel",
                "payment for a cancelled order",
                now,
            )
            .await?;
            return Ok(Outcome::BillingError);
        }
        _ => return Ok(Outcome::Ignored),
    }
    orders::transition(
        tx,
        order,
        OrderStatus::Paid,
        "payment",
        "payment captured",
        now,
    )
    .await?;
    stock::sell_order(tx, order, now).await?;
    close_session(tx, &session.id, "complete").await?;
    Ok(Outcome::Paid)
}

async fn fail(
    tx: &mut dyn Executor,
    event: &Event,
    order: &OrderId,
    now: i64,
) -> AppResult<Outcome> {
    let note = if event.kind == "checkout.session.expired" {
        "payment session expired"
    } else {
        "payment declined"
    };
    match orders::transition(tx, order, OrderStatus::Cancelled, "payment", note, now).await {
        Ok(()) => {}
        // Already paid, shipped or cancelled: a late failure changes nothing.
        Err(AppError::Api(ApiError::InvalidTransition { .. } | ApiError::NotFound { .. })) => {
            return Ok(Outcome::Ignored);
        }
        Err(e) => return Err(e),
    }
    stock::release_order(tx, order, now).await?;
    close_session(tx, &event.data.object.id, "expired").await?;
    Ok(Outcome::Cancelled)
}

async fn close_session(tx: &mut dyn Executor, session: &str, state: &str) -> anyhow::Result<()> {
    tx.query(
        "UPDATE payment_sessions SET state = ?2 WHERE id = ?1 AND state = 'open'",
        params![session, state],
    )
    .await?;
    Ok(())
}

async fn billing_error(
    tx: &mut dyn Executor,
    order: Option<&OrderId>,
    event: &Event,
    kind: &str,
    detail: &str,
    now: i64,
) -> anyhow::Result<()> {
    tracing::warn!(event = event.id, kind, detail, "billing error");
    tx.query(
        "INSERT INTO billing_errors (id, order_id, event_id, kind, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new_id().as_str(), order.map(OrderId::as_str), &event.id, kind, detail, now],
    )
    .await?;
    Ok(())
}
