//! `GET /api/orders/stuck?hours=48`: paid orders not shipped after N hours,
//! oldest first — the list nobody should let grow.

use axum::Json;
use axum::extract::{Query, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::{Email, OrderId};
use comptoir_shared::order::{OrderStatus, StuckOrder};
use serde::Deserialize;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::params;
use crate::port::{Executor as _, Host};

/// `?hours=` (default 48, 1 to 8760).
#[derive(Debug, Deserialize)]
pub struct Filter {
    hours: Option<String>,
}

/// Lists stuck orders for any staff member.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Query(filter): Query<Filter>,
) -> AppResult<Json<Vec<StuckOrder>>> {
    viewer.staff()?;
    let hours: i64 = match filter.hours.as_deref() {
        None => 48,
        Some(raw) => raw
            .parse()
            .ok()
            .filter(|h| (1..=8760).contains(h))
            .ok_or_else(|| ApiError::validation("hours", "1 to 8760"))?,
    };
    let now = host.clock.now_ms();
    let rows = host
        .db
        .auto()
        .query(
            "SELECT id, status, email, paid_at FROM orders \
             WHERE status IN ('paid', 'picking') AND paid_at <= ?1 ORDER BY paid_at LIMIT 500",
            params![now - hours * 3_600_000],
        )
        .await?;
    let stuck = rows
        .iter()
        .map(|r| {
            let paid_at_ms = r.int(3)?;
            Ok(StuckOrder {
                id: r.parse(0, OrderId::parse)?,
                status: OrderStatus::parse(r.text(1)?)
                    .ok_or_else(|| anyhow::anyhow!("stored status"))?,
                email: r.parse(2, Email::parse)?,
                paid_at_ms,
                waiting_hours: (now - paid_at_ms) / 3_600_000,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Json(stuck))
}
