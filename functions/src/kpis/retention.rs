//! `GET /api/kpis/retention?from=&to=`: customer cohorts by the month of
//! their first paid order in `[from, to)` (default the last 365 days, at most
//! 731), for every staff member. The SQL reads paid orders
//! ([`super::db::purchases`]); the figures are the pure rule
//! [`comptoir_shared::retention::report`] (choices documented there).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::retention::{self, RetentionReport, YEAR_MS};

use super::report::Params;
use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// The longest period one retention report covers (two years of cohorts).
pub const MAX_DAYS: i64 = 731;

/// Computes the cohorts.
#[utoipa::path(
    get,
    path = "/api/kpis/retention",
    operation_id = "get_retention",

    summary = "Read customer retention by cohort",
    tag = "kpis",
    description = "Roles: admin, support, warehouse, finance. Customers (an account, else a guest \
        order's e-mail) grouped by the Paris month of their first paid order in `[from, to)` \
        (default the last 365 days, at most 731); per cohort, who paid again in each of the 12 \
        months from it (`null`: the month has not begun); repeat-purchase rate, median time \
        between orders, revenue per customer in the 365 days after the first order. Refunds do \
        not undo a purchase. Money in minor units, ratios in basis points, durations in ms.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The cohorts.", body = RetentionReport),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation`: `from`/`to` not whole numbers, `to` not after `from`, or more than 731 days apart.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<RetentionReport>> {
    viewer.staff()?;
    let now = host.clock.now_ms();
    let (from, to) = params.period(now, 365, MAX_DAYS)?;
    // A cohort is followed for a year: nothing later matters.
    let purchases = super::db::purchases(&mut host.db.auto(), to.saturating_add(YEAR_MS)).await?;
    Ok(Json(retention::report(&purchases, from, to, now)))
}
