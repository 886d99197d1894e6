//! KPIs: the back office's key figures over a period, for every staff
//! member, and the cost inputs admins set. Each figure is one small SQL
//! aggregate ([`db`]); ratios, percentiles, NPS and cost per order are the
//! pure functions of [`comptoir_shared::kpi`] (units documented there).
//!
//! - `GET /api/kpis?from=<unix ms>&to=<unix ms>` — the report ([`report`])
//! - `GET /api/kpis/costs` — the cost inputs ([`costs`])
//! - `PUT /api/kpis/costs` — admins change them ([`set_costs`])

pub mod costs;
pub mod db;
pub mod report;
pub mod set_costs;

use axum::Router;
use axum::routing::get;

use crate::port::Host;

/// The KPI routes, on full paths.
pub fn router(host: Host) -> Router {
    Router::new()
        .route("/api/kpis", get(report::handle))
        .route("/api/kpis/costs", get(costs::handle).put(set_costs::handle))
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}
