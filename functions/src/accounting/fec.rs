//! `GET /api/finance/fec?year=`: a fiscal year's journals as the FEC file.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ledger::fec;
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, int_param};
use crate::identity::Viewer;
use crate::port::Host;

/// The query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The fiscal year (the calendar year, Paris time); this year's when absent.
    #[param(value_type = Option<i64>, minimum = 2000, maximum = 9999)]
    pub year: Option<String>,
}

impl YearQuery {
    /// The year asked for (this one, as of `now`, when absent); 422 naming
    /// `year` otherwise.
    pub fn year(&self, now_ms: i64) -> Result<i64, ApiError> {
        Ok(int_param("year", self.year.as_deref(), 2000..=9999)?
            .unwrap_or_else(|| comptoir_shared::calendar::paris_date(now_ms).0))
    }
}

/// Answers the file.
#[utoipa::path(
    get,
    path = "/api/finance/fec",
    operation_id = "export_fec",

    summary = "Export a fiscal year's journals (FEC)",
    tag = "accounting",
    description = "Roles: finance, admin. The fichier des écritures comptables of article A47 A-1 \
        of the Livre des procédures fiscales: the 18 columns (JournalCode … Idevise), tab-separated, \
        a header line, dates AAAAMMJJ, amounts with a decimal comma, ISO 8859-15, CRLF; entries \
        numbered without gap per journal; named `<SIREN>FEC<AAAA1231>.txt`.",
    params(YearQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The FEC file (as an attachment).", body = String, content_type = "text/plain"),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 422, description = "`validation` (`year`).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(query): ApiQuery<YearQuery>,
) -> AppResult<Response> {
    viewer.require(&[Role::Finance])?;
    let year = query.year(host.clock.now_ms())?;
    let lines = super::ledger::lines_of_year(&mut host.db.auto(), year).await?;
    let name = format!("{}FEC{year}1231.txt", host.config.seller.siren.as_str());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/plain; charset=iso-8859-15".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        fec(&lines),
    )
        .into_response())
}
