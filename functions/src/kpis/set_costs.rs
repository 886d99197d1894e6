//! `PUT /api/kpis/costs`: an admin sets the cost inputs (fixed costs per
//! month, handling per order, payment fee, carrier per shipment, shipping SLA).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::kpi::CostSettings;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Validates, stores (audited) and answers the inputs.
#[utoipa::path(
    put,
    path = "/api/kpis/costs",
    operation_id = "set_costs",

    summary = "Set the cost inputs",
    tag = "kpis",
    description = "Roles: admin. Sets the cost inputs: amounts in EUR from 0 to 10000000.00, a \
        payment fee of at most 10000 basis points, an SLA of 1 to 720 hours.",
    request_body = CostSettings,
    security(("session" = [])),
    responses(
        (status = 200, description = "The inputs as stored.", body = CostSettings),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 422, description = "`validation`: an input out of bounds (the field is named).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<CostSettings>,
) -> AppResult<Json<CostSettings>> {
    let admin = viewer.require(&[Role::Admin])?;
    body.validate().map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    super::db::save_costs(tx.as_mut(), &body, now).await?;
    let detail = format!(
        "fixed {}/month, handling {}, fee {} bps, carrier {}, SLA {} h",
        body.fixed_monthly.format_decimal(),
        body.per_order_handling.format_decimal(),
        body.payment_fee_bps,
        body.per_shipment_carrier.format_decimal(),
        body.shipping_sla_hours
    );
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::CostSettings,
        "cost_settings",
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(body))
}
