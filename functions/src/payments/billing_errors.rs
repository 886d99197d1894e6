//! Finance's queue of billing errors: what the provider and the shop
//! disagree on, each resolved with a note (audited).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::{OpaqueId, OrderId};
use comptoir_shared::payment::{BillingErrorRow, ResolveBillingError};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiJson, ApiQuery, path_id};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host, Row};

/// The query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// `true`: only those not resolved yet.
    #[param(value_type = Option<bool>)]
    open: Option<String>,
}

const COLUMNS: &str =
    "id, order_id, kind, detail, event_id, at, resolved_at, resolved_by, resolution";

fn row(r: &Row) -> anyhow::Result<BillingErrorRow> {
    Ok(BillingErrorRow {
        id: r.parse(0, OpaqueId::parse)?,
        order_id: match r.opt_text(1)? {
            Some(raw) => {
                Some(OrderId::parse(raw).map_err(|e| anyhow::anyhow!("stored order: {e}"))?)
            }
            None => None,
        },
        kind: r.text(2)?.to_owned(),
        detail: r.text(3)?.to_owned(),
        evidence: r.text(4)?.to_owned(),
        at_ms: r.int(5)?,
        resolved_at_ms: r.opt_int(6)?,
        resolved_by: r.opt_text(7)?.map(str::to_owned),
        resolution: r.opt_text(8)?.map(str::to_owned),
    })
}

/// Lists billing errors, newest first.
#[utoipa::path(
    get,
    path = "/api/finance/billing-errors",
    operation_id = "list_billing_errors",

    summary = "List billing errors",
    tag = "accounting",
    description = "Roles: finance, admin. Newest first (at most 500): payments without an order, \
        amounts off, refunds the provider has and the shop does not, fees above the configured \
        rate, payouts that do not add up, double payments… with their evidence.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The billing errors.", body = Vec<BillingErrorRow>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 422, description = "`validation` (`open`).", body = ApiError),
    )
)]
pub async fn list(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Vec<BillingErrorRow>>> {
    viewer.require(&[Role::Finance])?;
    let open = match params.open.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::validation("open", "true or false").into()),
    };
    let filter = if open {
        "WHERE resolved_at IS NULL"
    } else {
        ""
    };
    let rows = host
        .db
        .auto()
        .query(
            &format!(
                "SELECT {COLUMNS} FROM billing_errors {filter} ORDER BY at DESC, id LIMIT 500"
            ),
            &[],
        )
        .await?;
    Ok(Json(rows.iter().map(row).collect::<anyhow::Result<_>>()?))
}

/// Resolves one.
#[utoipa::path(
    post,
    path = "/api/finance/billing-errors/{id}/resolve",
    operation_id = "resolve_billing_error",

    summary = "Resolve a billing error",
    tag = "accounting",
    description = "Roles: finance, admin. Marks it resolved with what was done (audited); a \
        resolved error stays listed with its resolution. Resolving it again is a conflict.",
    params(("id" = OpaqueId, Path, description = "The billing error.")),
    request_body = ResolveBillingError,
    security(("session" = [])),
    responses(
        (status = 200, description = "Resolved.", body = BillingErrorRow),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 404, description = "`not_found` (`billing_error`).", body = ApiError),
        (status = 409, description = "`conflict`: already resolved.", body = ApiError),
        (status = 422, description = "`validation` (`note`).", body = ApiError),
    )
)]
pub async fn resolve(
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ResolveBillingError>,
) -> AppResult<Json<BillingErrorRow>> {
    let staff = viewer.require(&[Role::Finance])?;
    let id = path_id(&raw, "billing_error")?;
    let note = crate::extract::text("note", &body.note, 1000, true)?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(current) = tx
        .optional(
            &format!("SELECT {COLUMNS} FROM billing_errors WHERE id = ?1"),
            params![id.as_str()],
        )
        .await?
    else {
        return Err(ApiError::not_found("billing_error").into());
    };
    if row(&current)?.resolved_at_ms.is_some() {
        return Err(ApiError::Conflict {
            message: "this billing error is resolved already".into(),
        }
        .into());
    }
    let updated = tx
        .one(
            &format!(
                "UPDATE billing_errors SET resolved_at = ?2, resolved_by = ?3, resolution = ?4 \
                 WHERE id = ?1 RETURNING {COLUMNS}"
            ),
            params![id.as_str(), now, staff.email.as_str(), &note],
        )
        .await?;
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::BillingErrorResolve,
        id.as_str(),
        &note.chars().take(80).collect::<String>(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(row(&updated)?))
}
