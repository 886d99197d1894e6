//! `GET /api/orders/{id}`: an order, for whoever holds its id.
//!
//! A guest's order id (128 random bits) is their capability to read it;
//! signed-in ownership checks come with customer accounts.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::order::OrderSummary;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Reads an order with its lines and timeline.
pub async fn handle(
    State(host): State<Host>,
    Path(raw): Path<String>,
) -> AppResult<Json<OrderSummary>> {
    let id = path_id(&raw, "order")?;
    super::db::summary(&mut host.db.auto(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("order").into())
}
