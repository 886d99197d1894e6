//! `POST /api/finance/years/{year}/close`: locks a fiscal year's books.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::calendar::paris_date;
use comptoir_shared::ledger::ClosedYear;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Closes the year.
#[utoipa::path(
    post,
    path = "/api/finance/years/{year}/close",
    operation_id = "close_fiscal_year",

    summary = "Close a fiscal year",
    tag = "accounting",
    description = "Roles: finance, admin. Once a fiscal year has ended, closing it locks its \
        books: the store refuses any entry dated in it (a correction is a new entry in an open \
        year). Audited. Closing a year twice answers the first closing.",
    params(("year" = i64, Path, minimum = 2000, maximum = 9999, description = "The fiscal year (the calendar year).")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Closed.", body = ClosedYear),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 404, description = "`not_found` (`year`): not a year.", body = ApiError),
        (status = 409, description = "`conflict`: the year has not ended.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<ClosedYear>> {
    let staff = viewer.require(&[Role::Finance])?;
    let year: i64 = raw
        .parse()
        .ok()
        .filter(|y| (2000..=9999).contains(y))
        .ok_or_else(|| ApiError::not_found("year"))?;
    let now = host.clock.now_ms();
    if year >= paris_date(now).0 {
        return Err(ApiError::Conflict {
            message: format!("{year} has not ended: a fiscal year is closed after its last day"),
        }
        .into());
    }
    let mut tx = host.db.begin().await?;
    let closed = tx
        .one(
            "INSERT INTO closed_years (year, closed_at, closed_by) VALUES (?1, ?2, ?3) \
             ON CONFLICT (year) DO UPDATE SET year = closed_years.year RETURNING closed_at",
            params![year, now, staff.email.as_str()],
        )
        .await?
        .int(0)?;
    if closed == now {
        crate::audit::record(
            tx.as_mut(),
            staff,
            AuditAction::FiscalYearClose,
            &year.to_string(),
            "books locked",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(ClosedYear {
        year,
        closed_at_ms: closed,
    }))
}
