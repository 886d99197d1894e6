//! `GET /api/kpis/costs`: the cost inputs behind the cost per order and the
//! shipping SLA, for every staff member.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::kpi::CostSettings;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::port::Host;

/// Reads the inputs.
#[utoipa::path(
    get,
    path = "/api/kpis/costs",
    operation_id = "get_costs",

    summary = "Read the cost inputs",
    tag = "kpis",
    description = "Roles: admin, support, warehouse, finance. The cost inputs behind the cost per order and the shipping SLA.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The inputs.", body = CostSettings),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<CostSettings>> {
    viewer.staff()?;
    Ok(Json(super::db::costs(&mut host.db.auto()).await?))
}
