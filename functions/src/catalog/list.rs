//! `GET /api/catalog/products`: the published catalog.

use axum::Json;
use axum::extract::State;
use comptoir_shared::catalog::ProductSummary;

use crate::error::AppResult;
use crate::port::Host;

/// Lists published products in display order.
pub async fn handle(State(host): State<Host>) -> AppResult<Json<Vec<ProductSummary>>> {
    Ok(Json(super::db::summaries(&mut host.db.auto()).await?))
}
