//! `GET /api/kpis/costs`: the cost inputs behind the cost per order and the
//! shipping SLA, for every staff member.

use axum::Json;
use axum::extract::State;
use comptoir_shared::kpi::CostSettings;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::port::Host;

/// Reads the inputs.
pub async fn handle(State(host): State<Host>, viewer: Viewer) -> AppResult<Json<CostSettings>> {
    viewer.staff()?;
    Ok(Json(super::db::costs(&mut host.db.auto()).await?))
}
