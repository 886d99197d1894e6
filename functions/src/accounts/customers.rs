//! `GET /api/accounts/customers?q=`: customer accounts with their order
//! figures, newest first; `q` searches e-mail and name (support, admin).

use axum::Json;
use axum::extract::State;
use comptoir_shared::account::{CustomerRow, Role};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, contains_pattern};
use crate::port::Host;

use super::Viewer;

/// `?q=` narrows the list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    q: Option<String>,
}

/// Lists customers (at most 200).
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
