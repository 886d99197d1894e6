//! `GET /api/orders/stuck?hours=48`: paid orders not shipped after N hours,
//! oldest first — the list nobody should let grow (the KPI report shows it too).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::ids::{Email, OrderId};
use comptoir_shared::order::{OrderStatus, StuckOrder};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor, Host};

/// `?hours=` (default 48, 1 to 8760).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Paid at least this many hours ago (default 48).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 8760)]
    hours: Option<String>,
}

/// Lists stuck orders for any staff member.
#[utoipa::path(
    get,
    path = "/api/orders/stuck",
    operation_id = "list_stuck_orders",

    summary = "List paid orders not shipped in time",
    tag = "orders",
    description = "Roles: admin, support, warehouse, finance. Paid orders not shipped after N hours, oldest first (at most 500).",
    params(Filter),
    security(("session" = [])),
    responses(
        (status = 200, description = "The stuck orders.", body = Vec<StuckOrder>),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation` (`hours`): not a whole number from 1 to 8760.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(filter): ApiQuery<Filter>,
) -> AppResult<Json<Vec<StuckOrder>>> {
    viewer.staff()?;
    let hours =
        crate::extract::int_param("hours", filter.hours.as_deref(), 1..=8760)?.unwrap_or(48);
    let stuck = list(&mut host.db.auto(), host.clock.now_ms(), hours).await?;
    Ok(Json(stuck))
}

/// Orders paid at least `hours` before `now_ms` and still not shipped.
pub async fn list(
    db: &mut dyn Executor,
    now_ms: i64,
    hours: i64,
) -> anyhow::Result<Vec<StuckOrder>> {
    let rows = db
        .query(
            "SELECT id, status, email, paid_at FROM orders \
             WHERE status IN ('paid', 'picking') AND paid_at <= ?1 ORDER BY paid_at LIMIT 500",
            params![now_ms - hours * 3_600_000],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let paid_at_ms = r.int(3)?;
            Ok(StuckOrder {
                id: r.parse(0, OrderId::parse)?,
                status: OrderStatus::parse(r.text(1)?)
                    .ok_or_else(|| anyhow::anyhow!("stored status"))?,
                email: r.parse(2, Email::parse)?,
                paid_at_ms,
                waiting_hours: (now_ms - paid_at_ms) / 3_600_000,
            })
        })
        .collect()
}
