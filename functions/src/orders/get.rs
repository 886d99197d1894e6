//! `GET /api/orders/{id}`: an order, for whoever holds its id.
//!
//! A guest's order id (128 random bits) is their capability to read it;
//! signed-in ownership checks come with customer accounts.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OrderId;
use comptoir_shared::order::OrderSummary;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Reads an order with its lines and timeline.
#[utoipa::path(
    get,
    path = "/api/orders/{id}",
    operation_id = "get_order",

    summary = "Read an order",
    tag = "orders",
    description = "Public (whoever holds the id: a guest's order id is their capability to read it). \
        The order with its lines, totals and timeline, as its buyer sees it.",
    params(("id" = OrderId, Path, description = "The order's id.")),
    security(()),
    responses(
        (status = 200, description = "The order.", body = OrderSummary),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    Path(raw): Path<String>,
) -> AppResult<Json<OrderSummary>> {
    let id = path_id(&raw, "order")?;
    super::db::summary(&mut host.db.auto(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("order").into())
}
