//! `GET /api/refunds?status=requested`: finance's queue, with what the
//! payment each refund gives back captured and has already given back.

use axum::Json;
use axum::extract::State;
use comptoir_shared::account::Role;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::refund::{RefundQueueItem, RefundStatus};
use comptoir_shared::{ApiError, Money};
use serde::Deserialize;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::params;
use crate::port::{Executor as _, Host};

/// `?status=` (default `requested`) and `?order=` filters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    status: Option<String>,
    order: Option<String>,
}

/// Lists refunds in one status, oldest first.
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
            "SELECT id FROM refunds WHERE status = ?1 AND (?2 IS NULL OR order_id = ?2) ORDER BY created_at LIMIT 200",
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
