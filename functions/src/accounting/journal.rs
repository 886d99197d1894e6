//! `GET /api/finance/journal?year=`: a fiscal year's entries, line by line.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ledger::LedgerLine;

use super::fec::YearQuery;
use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// Lists the lines.
#[utoipa::path(
    get,
    path = "/api/finance/journal",
    operation_id = "list_journal",

    summary = "A fiscal year's journal entries",
    tag = "accounting",
    description = "Roles: finance, admin. Every line of the year's entries, by journal (VE sales, \
        BQ provider and bank), entry number and line: what the FEC holds, as JSON.",
    params(YearQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The lines.", body = Vec<LedgerLine>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 422, description = "`validation` (`year`).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(query): ApiQuery<YearQuery>,
) -> AppResult<Json<Vec<LedgerLine>>> {
    viewer.require(&[Role::Finance])?;
    let year = query.year(host.clock.now_ms())?;
    Ok(Json(
        super::ledger::lines_of_year(&mut host.db.auto(), year).await?,
    ))
}
