//! `GET /api/kpis/funnel?from=&to=`: the visitor funnel over a period, for
//! every staff member. The beacon's steps come from the hourly aggregates
//! ([`crate::audience::aggregates`], never the raw events); paid orders from
//! the orders themselves (the payment is the source of truth, not a page).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::audience::Funnel;

use super::report::Params;
use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// Computes the funnel.
#[utoipa::path(
    get,
    path = "/api/kpis/funnel",
    operation_id = "get_visitor_funnel",
    summary = "Read the visitor funnel",
    tag = "kpis",
    description = "Roles: admin, support, warehouse, finance. Visits → product views → add to \
        cart → checkout started → paid over the hours starting in `[from, to)` (default the last \
        30 days, at most 366 days), with each step's conversion from the one before, paid orders \
        per visit, and the steps by the visit's source and by device class. Counted by the \
        storefront's beacon without cookies (see `POST /api/events`) and rolled up per hour by \
        the job runner; paid orders come from the orders. Ratios in basis points; a ratio over \
        nothing is `null`.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The funnel.", body = Funnel),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation`: `from`/`to` not whole numbers, `to` not after `from`, or more than 366 days apart.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Funnel>> {
    viewer.staff()?;
    let (from, to) = params.period(host.clock.now_ms(), 30, super::report::MAX_DAYS)?;
    let db = &mut host.db.auto();
    let rows = crate::audience::aggregates(db, from, to).await?;
    let paid = super::db::paid_per_day(db, from, to)
        .await?
        .iter()
        .map(|(_, n, _)| n)
        .sum();
    Ok(Json(Funnel::from_rows(from, to, &rows, paid)))
}
