//! `POST /api/accounts/staff/{id}`: an admin changes a staff account's role,
//! or disables (ending its sessions) or enables it. The shop never loses its
//! last active admin: demoting or disabling them is refused (409).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::{Role, StaffMember, UpdateStaff};
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Applies the change and answers the account as it now is.
#[utoipa::path(
    post,
    path = "/api/accounts/staff/{id}",
    operation_id = "update_staff",

    summary = "Change or disable a staff account",
    tag = "accounts",
    description = "Roles: admin. Changes a staff account's role, or disables it (ending its \
        sessions) or enables it. The shop never loses its last active admin.",
    params(("id" = OpaqueId, Path, description = "The staff account's id.")),
    request_body = UpdateStaff,
    security(("session" = [])),
    responses(
        (status = 200, description = "The account as it now is.", body = StaffMember),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`staff`).", body = ApiError),
        (status = 409, description = "`conflict`: that would demote or disable the last active admin.", body = ApiError),
        (status = 422, description = "`validation` (`role`): nothing to change, or the `customer` role.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<UpdateStaff>,
) -> AppResult<Json<StaffMember>> {
    let admin = viewer.require(&[Role::Admin])?;
    let id = path_id(&raw, "staff")?;
    if body.role.is_none() && body.disabled.is_none() {
        return Err(ApiError::validation("role", "a role or disabled to change").into());
    }
    if body.role.is_some_and(|r| !r.is_staff()) {
        return Err(ApiError::validation("role", "admin, support, warehouse or finance").into());
    }
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let current = super::db::staff_member_by_id(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("staff"))?;
    let role = body.role.unwrap_or(current.role);
    let disabled = body.disabled.unwrap_or(current.disabled);
    let was_active_admin = current.role == Role::Admin && !current.disabled;
    if was_active_admin
        && (role != Role::Admin || disabled)
        && super::db::other_active_admins(tx.as_mut(), &id).await? == 0
    {
        return Err(ApiError::Conflict {
            message: "the last active admin cannot be demoted or disabled".into(),
        }
        .into());
    }
    tx.query(
        "UPDATE accounts SET role = ?2, \
             disabled_at = CASE WHEN ?3 = 0 THEN NULL ELSE COALESCE(disabled_at, ?4) END \
         WHERE id = ?1",
        params![id.as_str(), role.as_str(), disabled, now],
    )
    .await?;
    if disabled {
        tx.query(
            "DELETE FROM sessions WHERE account_id = ?1",
            params![id.as_str()],
        )
        .await?;
    }
    let detail = format!(
        "{}: {} → {}{}",
        current.email,
        current.role.as_str(),
        role.as_str(),
        match (current.disabled, disabled) {
            (false, true) => ", disabled",
            (true, false) => ", enabled",
            _ => "",
        }
    );
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::StaffUpdate,
        id.as_str(),
        &detail,
        now,
    )
    .await?;
    let updated = super::db::staff_member_by_id(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("staff"))?;
    tx.commit().await?;
    Ok(Json(updated))
}
