//! `POST /api/orders/{id}/abandon`: the shopper came back from the payment
//! page without paying. The unpaid order is cancelled and its stock released
//! at once instead of when the reservation lapses; whoever holds the order's
//! id may do it (as they may read it), and only while payment is pending.
//! Its open payment session closes with it and is marked for expiry at the
//! provider, which the payments function performs (this one may not reach
//! Stripe). Should the provider still report a payment later, the webhook
//! records a billing error and refunds it in full automatically.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OrderId;
use comptoir_shared::order::{OrderStatus, OrderSummary};

use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Cancels the unpaid order (409 `invalid_transition` once it is paid or
/// already cancelled) and answers it.
#[utoipa::path(
    post,
    path = "/api/orders/{id}/abandon",
    operation_id = "abandon_order",

    summary = "Abandon an unpaid order",
    tag = "orders",
    description = "Public (whoever holds the id). The shopper came back from the payment page \
        without paying: the unpaid order is cancelled and its stock released at once.",
    params(("id" = OrderId, Path, description = "The order's id.")),
    security(()),
    responses(
        (status = 200, description = "The cancelled order.", body = OrderSummary),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
        (status = 409, description = "`invalid_transition`: the order is not waiting for payment any more.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    Path(raw): Path<String>,
) -> AppResult<Json<OrderSummary>> {
    let id = path_id(&raw, "order")?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let head = super::head(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    if head.status != OrderStatus::PendingPayment {
        return Err(ApiError::InvalidTransition {
            from: head.status,
            to: OrderStatus::Cancelled,
        }
        .into());
    }
    super::transition(
        tx.as_mut(),
        &id,
        OrderStatus::Cancelled,
        "customer",
        "payment abandoned",
        now,
    )
    .await?;
    crate::stock::release_order(tx.as_mut(), &id, now).await?;
    tx.commit().await?;
    let summary = super::summary(&mut host.db.auto(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    Ok(Json(summary))
}
