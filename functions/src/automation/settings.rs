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
        (detractor answers open a support thread; paid orders not picked in time are escalated) \
        and the escalated orders still not picked.",
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
    description = "Roles: admin. Switches each rule on or off and sets the escalation delay \
        (1 to 720 hours after payment). Takes effect at the job runner's next pass.",
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
             low_stock = ?4, updated_at_ms = ?5 WHERE id = 1",
        params![
            i64::from(body.detractors),
            i64::from(body.unpicked_orders),
            body.unpicked_after_hours,
            i64::from(body.low_stock),
            now
        ],
    )
    .await?;
    let on = |b: bool| if b { "on" } else { "off" };
    let detail = format!(
        "detractors {}, unpicked orders {} after {} h, low stock {}",
        on(body.detractors),
        on(body.unpicked_orders),
        body.unpicked_after_hours,
        on(body.low_stock)
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
