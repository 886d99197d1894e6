//! `GET /api/audit?staff=<e-mail>&action=&from=&to=&limit=`: the audit log,
//! newest first, for admins. `from`/`to` are unix ms (`to` exclusive);
//! `limit` 1 to 500 (default 100).

use anyhow::Context as _;
use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::{AuditAction, AuditEntry};
use comptoir_shared::ids::{Email, OpaqueId};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, int_param};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// The query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Only this staff member's actions (their e-mail).
    #[param(value_type = Option<Email>)]
    staff: Option<String>,
    /// Only this action.
    #[param(value_type = Option<AuditAction>)]
    action: Option<String>,
    /// From this instant (unix ms, inclusive).
    #[param(value_type = Option<i64>, minimum = 0)]
    from: Option<String>,
    /// Until this instant (unix ms, exclusive).
    #[param(value_type = Option<i64>, minimum = 0)]
    to: Option<String>,
    /// How many entries (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

/// Lists audit entries.
#[utoipa::path(
    get,
    path = "/api/audit",
    operation_id = "list_audit_entries",

    summary = "Read the audit log",
    tag = "accounts",
    description = "Roles: admin. The audit log of staff actions, newest first.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The entries.", body = Vec<AuditEntry>),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 422, description = "`validation`: a filter does not parse (the parameter is named).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    viewer.require(&[Role::Admin])?;
    let staff = params
        .staff
        .as_deref()
        .map(|raw| Email::parse(raw).map_err(|e| e.on("staff")))
        .transpose()?;
    let action = params
        .action
        .as_deref()
        .map(|raw| {
            AuditAction::parse(raw).ok_or_else(|| ApiError::validation("action", "an audit action"))
        })
        .transpose()?;
    let from = int_param("from", params.from.as_deref(), 0..=i64::MAX)?;
    let to = int_param("to", params.to.as_deref(), 0..=i64::MAX)?;
    let limit = int_param("limit", params.limit.as_deref(), 1..=500)?.unwrap_or(100);
    let rows = host
        .db
        .auto()
        .query(
            "SELECT id, at_ms, actor_id, actor_email, action, target, detail FROM audit_log \
             WHERE (CAST(?1 AS TEXT) IS NULL OR actor_email = ?1) AND (CAST(?2 AS TEXT) IS NULL OR action = ?2) \
               AND (CAST(?3 AS BIGINT) IS NULL OR at_ms >= ?3) AND (CAST(?4 AS BIGINT) IS NULL OR at_ms < ?4) \
             ORDER BY at_ms DESC, id LIMIT ?5",
            params![
                staff.as_ref().map(Email::as_str),
                action.map(AuditAction::as_str),
                from,
                to,
                limit
            ],
        )
        .await?;
    let entries = rows
        .iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.parse(0, OpaqueId::parse)?,
                at_ms: r.int(1)?,
                actor_id: r.parse(2, OpaqueId::parse)?,
                actor_email: r.text(3)?.to_owned(),
                action: AuditAction::parse(r.text(4)?).context("stored audit action")?,
                target: r.text(5)?.to_owned(),
                detail: r.text(6)?.to_owned(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Json(entries))
}
