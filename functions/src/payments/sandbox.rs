//! The offline sandbox provider: the data its approve/decline page shows, and
//! the decision, which becomes a Stripe-shaped event signed with the webhook
//! secret and handed to [`super::webhook::process`] — the very path real
//! provider events take.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::ids::{Email, OrderId};
use comptoir_shared::payment::{SandboxDecision, SandboxSession};
use comptoir_shared::{Currency, Money};

use crate::config::PaymentProvider;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, path_id};
use crate::params;
use crate::port::{Executor as _, Host};

use super::webhook;

async fn load(host: &Host, raw: &str) -> AppResult<SandboxSession> {
    if host.config.payment_provider != PaymentProvider::Sandbox {
        return Err(ApiError::not_found("payment_session").into());
    }
    let id = path_id(raw, "payment_session")?;
    let Some(r) = host
        .db
        .auto()
        .optional(
            "SELECT s.order_id, s.amount_cents, s.currency, o.email, s.state \
             FROM payment_sessions s JOIN orders o ON o.id = s.order_id WHERE s.id = ?1 AND s.provider = 'sandbox'",
            params![id.as_str()],
        )
        .await?
    else {
        return Err(ApiError::not_found("payment_session").into());
    };
    Ok(SandboxSession {
        session_id: id,
        order_id: r.parse(0, OrderId::parse)?,
        amount: Money {
            amount: r.int(1)?,
            currency: Currency::parse(r.text(2)?)
                .ok_or_else(|| anyhow::anyhow!("stored currency"))?,
        },
        email: r.parse(3, Email::parse)?,
        state: r.text(4)?.to_owned(),
    })
}

/// `GET /api/payments/sandbox/{id}`: what the sandbox page shows.
#[utoipa::path(
    get,
    path = "/api/payments/sandbox/{id}",
    operation_id = "get_sandbox_session",

    summary = "Read a sandbox payment session",
    tag = "payments",
    description = "Public (whoever holds the session id). What the offline sandbox provider's \
        payment page shows; only while the sandbox is the configured provider.",
    params(("id" = OpaqueId, Path, description = "The sandbox session's id.")),
    security(()),
    responses(
        (status = 200, description = "The session.", body = SandboxSession),
        (status = 404, description = "`not_found` (`payment_session`): no such sandbox session (or the sandbox is not the provider).", body = ApiError),
    )
)]
pub async fn show(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    Path(raw): Path<String>,
) -> AppResult<Json<SandboxSession>> {
    load(&host, &raw).await.map(Json)
}

/// `POST /api/payments/sandbox/{id}`: approve or decline, as a card would.
/// Only an open session decides, and only once: its decision is one event
/// whose id is the session's, so concurrent decisions apply once and the
/// others are refused (409) like any decision on a closed session.
#[utoipa::path(
    post,
    path = "/api/payments/sandbox/{id}",
    operation_id = "decide_sandbox_session",

    summary = "Approve or decline a sandbox payment",
    tag = "payments",
    description = "Public (whoever holds the session id). Approves or declines the payment, as a \
        card would: the sandbox signs a provider event and applies it through the webhook's own \
        path (approved: the order is paid; declined: cancelled and its stock released).",
    params(("id" = OpaqueId, Path, description = "The sandbox session's id.")),
    request_body = SandboxDecision,
    security(()),
    responses(
        (status = 200, description = "The session after the decision.", body = SandboxSession),
        (status = 404, description = "`not_found` (`payment_session`).", body = ApiError),
        (status = 409, description = "`conflict`: the session is no longer open.", body = ApiError),
    )
)]
pub async fn decide(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    Path(raw): Path<String>,
    ApiJson(decision): ApiJson<SandboxDecision>,
) -> AppResult<Json<SandboxSession>> {
    let session = load(&host, &raw).await?;
    if session.state != "open" {
        return Err(decided(&session.state));
    }
    let (kind, payment_status) = match decision {
        SandboxDecision::Approve => ("checkout.session.completed", "paid"),
        SandboxDecision::Decline => ("checkout.session.async_payment_failed", "unpaid"),
    };
    let event = serde_json::json!({
        "id": format!("evt_sandbox_{}", session.session_id),
        "object": "event",
        "type": kind,
        "created": host.clock.now_ms() / 1000,
        "livemode": false,
        "data": { "object": {
            "id": session.session_id.as_str(),
            "object": "checkout.session",
            "amount_total": session.amount.amount,
            "currency": session.amount.currency.code().to_ascii_lowercase(),
            "customer_email": session.email.as_str(),
            "payment_status": payment_status,
            "payment_intent": format!("pi_sandbox_{}", session.session_id),
            "metadata": { "order_id": session.order_id.as_str() },
        }},
    });
    let outcome = webhook::deliver_signed(&host, &event).await?;
    let now = load(&host, &raw).await?;
    if outcome == webhook::Outcome::Duplicate {
        // Another decision on this session got there first.
        return Err(decided(&now.state));
    }
    Ok(Json(now))
}

fn decided(state: &str) -> AppError {
    ApiError::Conflict {
        message: format!("this payment session is {state}"),
    }
    .into()
}
