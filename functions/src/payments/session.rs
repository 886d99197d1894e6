//! `POST /api/payments/sessions`: where to send the shopper to pay an order.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::payment::{PaymentSession, PaymentSessionRequest};

use crate::config::PaymentProvider;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::params;
use crate::port::{Host, new_id};

/// Opens (or reopens) the order's payment session with the configured provider.
pub async fn handle(
    State(host): State<Host>,
    ApiJson(request): ApiJson<PaymentSessionRequest>,
) -> AppResult<Json<PaymentSession>> {
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(order) = crate::orders::head(tx.as_mut(), &request.order_id).await? else {
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
    let existing = tx
        .optional(
            "SELECT id FROM payment_sessions WHERE order_id = ?1 AND state = 'open'",
            params![request.order_id.as_str()],
        )
        .await?;
    let session_id = match existing {
        Some(row) => row.text(0)?.to_owned(),
        None => {
            let id = new_id().to_string();
            tx.query(
                "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6)",
                params![
                    &id,
                    request.order_id.as_str(),
                    "sandbox",
                    order.total.amount,
                    order.total.currency.code(),
                    now
                ],
            )
            .await?;
            id
        }
    };
    tx.commit().await?;
    let redirect_url = match host.config.payment_provider {
        PaymentProvider::Sandbox => format!("/pay/{session_id}"),
    };
    Ok(Json(PaymentSession {
        session_id,
        redirect_url,
    }))
}
