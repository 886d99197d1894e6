//! `GET /api/jobs/automation`: the automation rules' settings and the open
//! alerts, for every staff member; `PUT`: an admin changes the settings.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::automation::{Automation, AutomationSettings};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Reads the settings and the alerts.
#[utoipa::path(
    get,
    path = "/api/jobs/automation",
    operation_id = "get_automation",

    summary = "Read the automation rules and their open alerts",
    tag = "jobs",
    description = "Roles: admin, support, warehouse, finance. The rules the job runner applies \
        (detractor answers open a support thread; paid orders not picked in time are escalated; \
        SKUs at their reorder point are drafted on a purchase order; late orders are announced to \
        their customer; small returns are approved) and the escalated orders still not picked.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The settings and open alerts.", body = Automation),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
    )
)]
pub async fn get(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Automation>> {
    viewer.staff()?;
    let mut db = host.db.auto();
    Ok(Json(Automation {
        settings: super::load(&mut db).await?,
        alerts: super::alerts(&mut db).await?,
    }))
}

/// Validates, stores (audited) and answers the settings with the alerts.
#[utoipa::path(
    put,
    path = "/api/jobs/automation",
    operation_id = "set_automation",

    summary = "Change the automation rules",
    tag = "jobs",
    description = "Roles: admin. Switches each rule on or off and sets its limits: the \
        escalation delay (1 to 720 hours after payment), the largest return approved on its own \
        (EUR, up to 500.00) and how many per customer over 365 days (1 to 20). Takes effect at the \
        job runner's next pass.",
    request_body = AutomationSettings,
    security(("session" = [])),
    responses(
        (status = 200, description = "The settings as stored, with the open alerts.", body = Automation),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 422, description = "`validation`: a setting out of bounds (the field is named).", body = ApiError),
    )
)]
pub async fn set(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<AutomationSettings>,
) -> AppResult<Json<Automation>> {
    let admin = viewer.require(&[Role::Admin])?;
    body.validate().map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    tx.query(
        "UPDATE automation_settings SET detractors = ?1, unpicked_orders = ?2, unpicked_after_hours = ?3, \
             low_stock = ?4, late_orders = ?5, small_returns = ?6, small_return_max_cents = ?7, \
             small_returns_per_customer = ?8, updated_at_ms = ?9 WHERE id = 1",
        params![
            i64::from(body.detractors),
            i64::from(body.unpicked_orders),
            body.unpicked_after_hours,
            i64::from(body.low_stock),
            i64::from(body.late_orders),
            i64::from(body.small_returns),
            body.small_return_max.amount,
            body.small_returns_per_customer,
            now
        ],
    )
    .await?;
    let on = |b: bool| if b { "on" } else { "off" };
    let detail = format!(
        "detractors {}, unpicked orders {} after {} h, low stock {}, late orders {}, small returns {} up to {} ({} a year each)",
        on(body.detractors),
        on(body.unpicked_orders),
        body.unpicked_after_hours,
        on(body.low_stock),
        on(body.late_orders),
        on(body.small_returns),
        body.small_return_max.format_decimal(),
        body.small_returns_per_customer
    );
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::AutomationSettings,
        "automation",
        &detail,
        now,
    )
    .await?;
    let alerts = super::alerts(tx.as_mut()).await?;
    tx.commit().await?;
    Ok(Json(Automation {
        settings: body,
        alerts,
    }))
}
