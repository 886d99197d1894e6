//! `GET /api/finance/vat-report?year=` (and `.csv`): taxable base and VAT
//! per month and rate, net of credit notes, as the VAT return lays them out.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use comptoir_shared::account::Role;
use comptoir_shared::calendar::paris_date;
use comptoir_shared::ledger::{VatReportLine, ca3_line};
use comptoir_shared::{ApiError, Money};

use super::fec::YearQuery;
use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// The report: from the journals' sales, shipping and VAT accounts (so it
/// equals the 44571 movements), newest rates first within a month.
async fn report(host: &Host, year: i64) -> anyhow::Result<Vec<VatReportLine>> {
    let mut sums: BTreeMap<(String, String, i64), (i64, i64)> = BTreeMap::new();
    for line in super::ledger::taxed_lines(&mut host.db.auto(), year).await? {
        let (y, m, _) = paris_date(line.at_ms);
        let sum = sums
            .entry((format!("{y:04}-{m:02}"), line.country, line.rate_bps))
            .or_default();
        let moved = line.credit - line.debit;
        if line.role == "vat_collected" {
            sum.1 += moved;
        } else {
            sum.0 += moved;
        }
    }
    let mut lines: Vec<VatReportLine> = sums
        .into_iter()
        .map(|((month, country, rate_bps), (base, vat))| VatReportLine {
            month,
            ca3_line: ca3_line(rate_bps, &country),
            country,
            rate_bps,
            base: Money::eur(base),
            vat: Money::eur(vat),
        })
        .collect();
    // Within a month: France first, then the other countries; higher rates
    // first.
    lines.sort_by(|a, b| {
        a.month
            .cmp(&b.month)
            .then((a.country != "FR").cmp(&(b.country != "FR")))
            .then(a.country.cmp(&b.country))
            .then(b.rate_bps.cmp(&a.rate_bps))
    });
    Ok(lines)
}

/// Answers the report.
#[utoipa::path(
    get,
    path = "/api/finance/vat-report",
    operation_id = "vat_report",

    summary = "VAT report of a year, per month, country and rate",
    tag = "accounting",
    description = "Roles: finance, admin. Per month (Paris time), country whose VAT it is and \
        rate: the taxable base (sales and shipping before VAT) and the VAT collected, net of \
        credit notes, with where it is declared: the line of the CA3 return for France and for \
        exempt intra-EU deliveries to businesses (line 06, at 0 %), `OSS` and the country for \
        consumers elsewhere in the EU (the One-Stop Shop return). Read from the journals, so it \
        equals the VAT accounts' movements.",
    params(YearQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The report.", body = Vec<VatReportLine>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 422, description = "`validation` (`year`).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(query): ApiQuery<YearQuery>,
) -> AppResult<Json<Vec<VatReportLine>>> {
    viewer.require(&[Role::Finance])?;
    Ok(Json(report(&host, query.year(host.clock.now_ms())?).await?))
}

/// Answers the report as CSV.
#[utoipa::path(
    get,
    path = "/api/finance/vat-report.csv",
    operation_id = "vat_report_csv",

    summary = "VAT report of a year, as CSV",
    tag = "accounting",
    description = "Roles: finance, admin. The report of `GET /api/finance/vat-report` as CSV for a \
        French spreadsheet: `mois;pays;taux;declaration;base_ht;tva`, semicolons, decimal commas.",
    params(YearQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The CSV file (as an attachment).", body = String, content_type = "text/csv"),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 422, description = "`validation` (`year`).", body = ApiError),
    )
)]
pub async fn csv(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(query): ApiQuery<YearQuery>,
) -> AppResult<Response> {
    viewer.require(&[Role::Finance])?;
    let year = query.year(host.clock.now_ms())?;
    let mut out = String::from("mois;pays;taux;declaration;base_ht;tva\r\n");
    for l in report(&host, year).await? {
        out.push_str(&format!(
            "{};{};{};{};{};{}\r\n",
            l.month,
            l.country,
            comptoir_shared::invoice::rate_fr(l.rate_bps),
            l.ca3_line,
            comptoir_shared::invoice::decimal_fr(l.base.amount),
            comptoir_shared::invoice::decimal_fr(l.vat.amount)
        ));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tva-{year}.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}
