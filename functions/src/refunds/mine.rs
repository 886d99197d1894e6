//! `GET /api/refunds/mine?order=<id>`: the signed-in customer's refunds,
//! newest first — one order's (404 when the order is not theirs) or all.

use axum::Json;
use axum::extract::{Query, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::refund::Refund;
use serde::Deserialize;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::path_id;
use crate::params;
use crate::port::{Executor as _, Host};

/// `?order=` narrows to one order.
#[derive(Debug, Deserialize)]
pub struct Filter {
    order: Option<String>,
}

/// Lists the customer's refunds.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Query(filter): Query<Filter>,
) -> AppResult<Json<Vec<Refund>>> {
    let account = viewer.signed_in()?;
    let order = filter
        .order
        .as_deref()
        .map(|raw| path_id(raw, "order"))
        .transpose()?;
    let mut db = host.db.auto();
    if let Some(order) = &order
        && !crate::orders::is_owner(&mut db, order, &account.id).await?
    {
        return Err(ApiError::not_found("order").into());
    }
    let ids = db
        .query(
            "SELECT f.id FROM refunds f JOIN orders o ON o.id = f.order_id \
             WHERE o.customer_id = ?1 AND (?2 IS NULL OR f.order_id = ?2) \
             ORDER BY f.created_at DESC, f.id LIMIT 200",
            params![account.id.as_str(), order.as_ref().map(OpaqueId::as_str)],
        )
        .await?;
    let mut refunds = Vec::with_capacity(ids.len());
    for row in ids {
        if let Some(refund) = super::db::load(&mut db, &row.parse(0, OpaqueId::parse)?).await? {
            refunds.push(refund);
        }
    }
    Ok(Json(refunds))
}
