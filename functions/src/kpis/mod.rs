//! KPIs: the back office's key figures over a period, for every staff
//! member, and the cost inputs admins set. Each figure is one small SQL
//! aggregate ([`db`]); ratios, percentiles, NPS and cost per order are the
//! pure functions of [`comptoir_shared::kpi`] (units documented there).
//!
//! - `GET /api/kpis?from=<unix ms>&to=<unix ms>` — the report ([`report`])
//! - `GET /api/kpis/retention?from=&to=` — customer cohorts ([`retention`])
//! - `GET /api/kpis/feedback?from=&to=` — survey trends and comments ([`feedback`])
//! - `GET /api/kpis/costs` — the cost inputs ([`costs`])
//! - `PUT /api/kpis/costs` — admins change them ([`set_costs`])
//! - `GET /api/kpis/funnel?from=&to=` — the visitor funnel ([`funnel`])
//! - `POST /api/events` — the storefront's audience beacon
//!   ([`crate::audience::ingest`], served by this function)

pub mod costs;
pub mod db;
pub mod feedback;
pub mod funnel;
pub mod report;
pub mod retention;
pub mod set_costs;

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
use crate::audience;

crate::openapi::api_routes! {
    [report::handle]
    [retention::handle]
    [feedback::handle]
    [costs::handle, set_costs::handle]
    [funnel::handle]
    [audience::ingest::handle]
}
