//! `GET /api/orders/export.csv?…`: the board's filters, every matching order
//! (up to 10 000) as RFC 4180 CSV: amounts in decimal euros (`12.34`), times
//! in ISO 8601 UTC, and any cell starting with `=`, `+`, `-` or `@` (or a
//! tab or carriage return, which some spreadsheets skip before reading a
//! formula) prefixed with `'` so a spreadsheet never reads it as a formula.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use comptoir_shared::ApiError;
use comptoir_shared::calendar::iso_datetime;
use comptoir_shared::order::OrderRow;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

use super::board::{Filter, Params};

/// Most rows one export holds.
pub const MAX_ROWS: i64 = 10_000;

/// Answers the CSV file, for any staff member.
#[utoipa::path(
    get,
    path = "/api/orders/export.csv",
    operation_id = "export_orders",

    summary = "Export orders as CSV",
    tag = "orders",
    description = "Roles: admin, support, warehouse, finance. The board's filters, every matching \
        order (up to 10 000) as RFC 4180 CSV: `id,status,email,total_eur,created_at,paid_at,items`, \
        amounts in decimal euros, times in ISO 8601 UTC; a cell that a spreadsheet could read as \
        a formula is prefixed with `'`.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The CSV file (as an attachment).", body = String, content_type = "text/csv"),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation`: a filter does not parse (the parameter is named).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Response> {
    viewer.staff()?;
    let filter = Filter::parse(&params)?;
    let rows = super::board::rows(&mut host.db.auto(), &filter, MAX_ROWS, 0).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"orders.csv\"",
            ),
        ],
        csv(&rows),
    )
        .into_response())
}

/// The rows as CSV, header first, CRLF line ends.
pub fn csv(rows: &[OrderRow]) -> String {
    let mut out = String::from("id,status,email,total_eur,created_at,paid_at,items\r\n");
    for r in rows {
        let cells = [
            r.id.to_string(),
            r.status.as_str().to_owned(),
            r.email.to_string(),
            r.total.format_decimal(),
            iso_datetime(r.created_at_ms),
            r.paid_at_ms.map(iso_datetime).unwrap_or_default(),
            r.item_count.to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell: formula-looking text defused with `'`, then quoted when it
/// holds a comma, a quote or a line break (quotes doubled).
pub fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comptoir_shared::Money;
    use comptoir_shared::ids::{Email, OpaqueId};
    use comptoir_shared::order::OrderStatus;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\t=1"] {
            assert_eq!(cell(risky), format!("'{risky}"));
        }
    }

    #[test]
    fn rows_become_lines() {
        let row = OrderRow {
            id: OpaqueId::from_u128(1),
            status: OrderStatus::Paid,
            email: Email::parse("-x@exemple.fr").unwrap(),
            total: Money::eur(1234),
            created_at_ms: 0,
            paid_at_ms: None,
            item_count: 2,
        };
        assert_eq!(
            csv(&[row]),
            "id,status,email,total_eur,created_at,paid_at,items\r\n\
             00000000000000000000000000000001,paid,'-x@exemple.fr,12.34,1970-01-01T00:00:00Z,,2\r\n"
        );
    }
}
