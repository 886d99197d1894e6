//! `GET /api/catalog/products`: the published catalog.

use axum::Json;
use axum::extract::State;
use comptoir_shared::catalog::ProductSummary;

use crate::error::AppResult;
use crate::port::Host;

/// Lists published products in display order, availability as of now
/// (lapsed reservations released first).
pub async fn handle(State(host): State<Host>) -> AppResult<Json<Vec<ProductSummary>>> {
    crate::orders::settle_expired(host.db.as_ref(), host.clock.now_ms()).await?;
    Ok(Json(super::db::summaries(&mut host.db.auto()).await?))
}
