//! `GET /api/accounts/customers?q=`: customer accounts with their order
//! figures, newest first; `q` searches e-mail and name (support, admin).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::{CustomerRow, Role};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, contains_pattern};
use crate::identity::Viewer;
use crate::port::Host;

/// `?q=` narrows the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Words to look for in the e-mail or name (at most 100 characters, one line).
    #[param(max_length = 100)]
    q: Option<String>,
}

/// Lists customers (at most 200).
#[utoipa::path(
    get,
    path = "/api/accounts/customers",
    operation_id = "list_customers",

    summary = "List customers",
    tag = "accounts",
    description = "Roles: support, admin. Customer accounts with their order figures, newest first (at most 200).",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The customers.", body = Vec<CustomerRow>),
        (status = 403, description = "`forbidden`: neither support nor an admin.", body = ApiError),
        (status = 422, description = "`validation` (`q`): over 100 characters, or not one line of text.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Vec<CustomerRow>>> {
    viewer.require(&[Role::Support])?;
    let pattern = contains_pattern("q", params.q.as_deref())?;
    let rows = super::db::customers(&mut host.db.auto(), None, pattern.as_deref()).await?;
    Ok(Json(rows))
}
