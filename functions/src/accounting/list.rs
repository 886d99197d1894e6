//! `GET /api/finance/documents`: every invoice and credit note, for finance.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::invoice::{DocumentKind, IssuedDocument};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, contains_pattern, int_param};
use crate::identity::Viewer;
use crate::port::{Executor as _, Host, Value};

/// Documents per page.
const PAGE: i64 = 50;

/// The query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Part of a number, or of the buyer's company, name or e-mail (at most
    /// 100 characters, any case).
    #[param(max_length = 100)]
    q: Option<String>,
    /// Only invoices or only credit notes.
    #[param(value_type = Option<DocumentKind>)]
    kind: Option<String>,
    /// Issued at or after (unix ms).
    #[param(value_type = Option<i64>, minimum = 0)]
    from: Option<String>,
    /// Issued before (unix ms).
    #[param(value_type = Option<i64>, minimum = 0)]
    to: Option<String>,
    /// Page, from 1 (50 a page).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
}

/// Lists documents, newest first.
#[utoipa::path(
    get,
    path = "/api/finance/documents",
    operation_id = "list_documents",

    summary = "List invoices and credit notes",
    tag = "accounting",
    description = "Roles: finance, admin. Newest first, 50 a page, each with the link to its PDF.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The documents.", body = Vec<IssuedDocument>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 422, description = "`validation`: a filter does not parse (the parameter is named).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Vec<IssuedDocument>>> {
    viewer.require(&[Role::Finance])?;
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |condition: &str, value: Value, conditions: &mut Vec<String>| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("?{}", values.len())));
    };
    if let Some(pattern) = contains_pattern("q", params.q.as_deref())? {
        bind(
            "(LOWER(number) LIKE ? ESCAPE '\\' OR buyer LIKE ? ESCAPE '\\')",
            Value::Text(pattern),
            &mut conditions,
        );
    }
    if let Some(raw) = params.kind.as_deref() {
        let kind = DocumentKind::parse(raw)
            .ok_or_else(|| ApiError::validation("kind", "invoice or credit_note"))?;
        bind(
            "kind = ?",
            Value::Text(kind.as_str().to_owned()),
            &mut conditions,
        );
    }
    let bound = 0..=i64::MAX / 2;
    if let Some(from) = int_param("from", params.from.as_deref(), bound.clone())? {
        bind("issued_at >= ?", Value::Integer(from), &mut conditions);
    }
    if let Some(to) = int_param("to", params.to.as_deref(), bound)? {
        bind("issued_at < ?", Value::Integer(to), &mut conditions);
    }
    let page = int_param("page", params.page.as_deref(), 1..=100_000)?.unwrap_or(1);
    let sql = format!(
        "SELECT {} FROM invoices WHERE {} ORDER BY issued_at DESC, number DESC LIMIT {PAGE} OFFSET {}",
        super::db::LISTED,
        conditions.join(" AND "),
        (page - 1) * PAGE
    );
    let rows = host.db.auto().query(&sql, &values).await?;
    Ok(Json(
        rows.iter()
            .map(super::db::issued)
            .collect::<anyhow::Result<_>>()?,
    ))
}
