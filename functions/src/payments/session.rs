//! `POST /api/payments/sessions`: where to send the shopper to pay an order.
//!
//! An order has at most one open session, and the database holds that rule
//! (a partial unique index), not a read before the write: asked again, the
//! open session is offered as is. Otherwise the provider is called outside
//! any transaction (no database lock held over the network), with an
//! idempotency key per order and attempt, and the session is recorded
//! afterwards if no other opening got there first. One that did not is
//! surplus: it is expired at the provider and the winner is answered.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::order::{OrderStatus, OrderSummary};
use comptoir_shared::payment::{PaymentSession, PaymentSessionRequest};

use crate::error::{AppError, AppResult};
use crate::extract::ApiJson;
use crate::port::Host;

use super::{db, provider};

/// How many times an opening that lost to a session closed meanwhile starts
/// over before giving up with a 409.
const ROUNDS: usize = 3;

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
        (status = 409, description = "`conflict`: the order is not waiting for payment, or a delayed payment of it is still being processed.", body = ApiError),
        (status = 502, description = "`payment_provider_unavailable`: the provider could not be reached or refused; try again.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    ApiJson(request): ApiJson<PaymentSessionRequest>,
) -> AppResult<Json<PaymentSession>> {
    let now = host.clock.now_ms();
    crate::orders::settle_expired(host.db.as_ref(), now).await?;
    let answer = open(&host, &request, now).await;
    // Sessions closed with their orders elsewhere are expired at the provider
    // now that a function that may reach it runs; never at the shopper's cost.
    if let Err(e) = super::expire_due(&host, 5).await {
        tracing::warn!(error = format!("{e:#}"), "expiring closed payment sessions");
    }
    answer.map(Json)
}

async fn open(host: &Host, request: &PaymentSessionRequest, now: i64) -> AppResult<PaymentSession> {
    let provider = provider::configured(host);
    let mut db = host.db.auto();
    for _ in 0..ROUNDS {
        let order = payable(&mut db, request).await?;
        let sessions = db::sessions_of(&mut db, &order.id).await?;
        if sessions.iter().any(db::SessionRow::payment_in_flight) {
            return Err(ApiError::Conflict {
                message: "a payment for this order is being processed".into(),
            }
            .into());
        }
        if let Some(open) = sessions.iter().find(|s| s.state == "open") {
            if open.provider == provider.name() {
                return Ok(open.answer());
            }
            crate::orders::close_sessions(
                &mut db,
                &order.id,
                &crate::orders::SessionsToClose::NotOf(provider.name()),
            )
            .await?;
        }
        let attempt = sessions.len() + 1;
        let opened = provider.open_session(host, &order, attempt).await?;
        let amount = order.totals.total;
        if db::insert_open(&mut db, &opened, &order.id, provider.name(), amount, now).await? {
            return Ok(PaymentSession {
                session_id: opened.id,
                redirect_url: opened.redirect_url,
            });
        }
        // Lost: another opening recorded its session first, or the order
        // stopped awaiting payment. The same session replayed (same key) is
        // that winner, not a surplus.
        if !db::session_exists(&mut db, &opened.id).await?
            && let Err(e) = provider.expire_session(host, &opened.id).await
        {
            tracing::warn!(session = opened.id, error = ?e, "surplus session not expired yet");
            db::insert_surplus(&mut db, &opened, &order.id, provider.name(), amount, now).await?;
        }
        if let Some(winner) = db::open_session(&mut db, &order.id).await? {
            return Ok(winner.answer());
        }
        // The winner closed already (or the order moved on): look again.
    }
    Err(ApiError::Conflict {
        message: "the payment session changed meanwhile; try again".into(),
    }
    .into())
}

/// The order, if it exists and awaits payment.
async fn payable(
    db: &mut dyn crate::port::Executor,
    request: &PaymentSessionRequest,
) -> Result<OrderSummary, AppError> {
    let Some(order) = crate::orders::summary(db, &request.order_id).await? else {
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
    Ok(order)
}
