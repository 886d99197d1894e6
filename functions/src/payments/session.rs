//! `POST /api/payments/sessions`: where to send the shopper to pay an order.
//!
//! An open session is offered again as is. Otherwise the provider is called
//! outside any transaction (no database lock held over the network), with an
//! idempotency key per order, and the session is recorded afterwards.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::payment::{PaymentSession, PaymentSessionRequest};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::params;
use crate::port::{Executor as _, Host};

use super::provider;

/// Opens (or reopens) the order's payment session with the configured provider.
#[utoipa::path(
    post,
    path = "/api/payments/sessions",
    operation_id = "open_payment_session",

    summary = "Open a payment session for an order",
    tag = "payments",
    description = "Public (whoever holds the order's id). Where to send the shopper to pay an \
        order waiting for payment: the open session again if there is one, else a new one with \
        the configured provider (the offline sandbox page, or Stripe Checkout).",
    request_body = PaymentSessionRequest,
    security(()),
    responses(
        (status = 200, description = "The session and the page that takes the payment.", body = PaymentSession),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
        (status = 409, description = "`conflict`: the order is not waiting for payment.", body = ApiError),
        (status = 502, description = "`payment_provider_unavailable`: the provider could not be reached or refused; try again.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    ApiJson(request): ApiJson<PaymentSessionRequest>,
) -> AppResult<Json<PaymentSession>> {
    let now = host.clock.now_ms();
    crate::orders::settle_expired(host.db.as_ref(), now).await?;
    let provider = provider::configured(&host);
    let mut db = host.db.auto();
    let Some(order) = crate::orders::summary(&mut db, &request.order_id).await? else {
        return Err(ApiError::not_found("order").into());
    };
    if order.status != OrderStatus::PendingPayment {
        return Err(ApiError::Conflict {
            message: format!(
                "the order is {}, not awaiting payment",
                order.status.as_str()
            ),
        }
        .into());
    }
    if let Some(open) = open_session(&mut db, &request.order_id, provider.name()).await? {
        return Ok(Json(open));
    }
    let opened = provider.open_session(&host, &order).await?;
    db.query(
        "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at, redirect_url) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7) ON CONFLICT (id) DO NOTHING",
        params![
            &opened.id,
            request.order_id.as_str(),
            provider.name(),
            order.totals.total.amount,
            order.totals.total.currency.code(),
            now,
            &opened.redirect_url
        ],
    )
    .await?;
    Ok(Json(PaymentSession {
        session_id: opened.id,
        redirect_url: opened.redirect_url,
    }))
}

async fn open_session(
    db: &mut dyn crate::port::Executor,
    order: &comptoir_shared::ids::OrderId,
    provider: &str,
) -> anyhow::Result<Option<PaymentSession>> {
    db
        .optional(
            "SELECT id, redirect_url FROM payment_sessions WHERE order_id = ?1 AND provider = ?2 AND state = 'open' \
             ORDER BY created_at LIMIT 1",
            params![order.as_str(), provider],
        )
        .await?
        .map(|r| -> anyhow::Result<PaymentSession> {
            Ok(PaymentSession {
                session_id: r.text(0)?.to_owned(),
                redirect_url: r.text(1)?.to_owned(),
            })
        })
        .transpose()
}
