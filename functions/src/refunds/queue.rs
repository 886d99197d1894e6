//! `GET /api/refunds?status=requested`: finance's queue, with what the
//! payment each refund gives back captured and has already given back.

use axum::Json;
use axum::extract::State;
use comptoir_shared::account::Role;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::ids::OrderId;
use comptoir_shared::refund::{RefundQueueItem, RefundStatus};
use comptoir_shared::{ApiError, Money};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// `?status=` (default `requested`) and `?order=` filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Refunds in this status (default `requested`).
    #[param(value_type = Option<RefundStatus>)]
    status: Option<String>,
    /// Only this order's refunds.
    #[param(value_type = Option<OrderId>)]
    order: Option<String>,
}

/// Lists refunds in one status, oldest first.
#[utoipa::path(
    get,
    path = "/api/refunds",
    operation_id = "list_refund_queue",

    summary = "List refunds (finance queue)",
    tag = "refunds",
    description = "Roles: finance, support, admin. Refunds in one status (default `requested`), \
        oldest first (at most 200), each with what its order captured and has already given back.",
    params(Filter),
    security(("session" = [])),
    responses(
        (status = 200, description = "The queue.", body = Vec<RefundQueueItem>),
        (status = 403, description = "`forbidden`: not finance, support or an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`order`): `order` is not an order id.", body = ApiError),
        (status = 422, description = "`validation` (`status`): not a refund status.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(filter): ApiQuery<Filter>,
) -> AppResult<Json<Vec<RefundQueueItem>>> {
    viewer.require(&[Role::Finance, Role::Support])?;
    let status = match filter.status.as_deref() {
        None => RefundStatus::Requested,
        Some(raw) => RefundStatus::parse(raw)
            .ok_or_else(|| ApiError::validation("status", "a refund status"))?,
    };
    let mut db = host.db.auto();
    let order = filter
        .order
        .as_deref()
        .map(|raw| crate::extract::path_id(raw, "order"))
        .transpose()?;
    let ids = db
        .query(
            "SELECT id FROM refunds WHERE status = ?1 AND (CAST(?2 AS TEXT) IS NULL OR order_id = ?2) ORDER BY created_at LIMIT 200",
            params![status.as_str(), order.as_ref().map(|o| o.as_str())],
        )
        .await?;
    let mut items = Vec::with_capacity(ids.len());
    for row in ids {
        let id = row.parse(0, OpaqueId::parse)?;
        if let Some(refund) = super::db::load(&mut db, &id).await? {
            // Against the payment the refund gives back.
            let (captured, refunded) = match &refund.capture_reference {
                Some(capture) => super::db::stray_captured_and_committed(&mut db, capture).await?,
                None => super::db::captured_and_committed(&mut db, &refund.order_id).await?,
            }
            .unwrap_or((0, 0));
            items.push(RefundQueueItem {
                refund,
                captured: Money::eur(captured),
                refunded: Money::eur(refunded),
            });
        }
    }
    Ok(Json(items))
}
