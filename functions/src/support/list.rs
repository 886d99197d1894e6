//! `GET /api/support/threads`: a customer's own threads (`?order=`), or the
//! support inbox (`?status=`, `?order=`, `?customer=<e-mail>`, `?q=<text>`
//! in the subject or any message).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::ids::Email;
use comptoir_shared::support::{ThreadStatus, ThreadSummary};
use serde::Deserialize;

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::{ApiQuery, contains_pattern, path_id};
use crate::port::Host;

use super::Side;

/// The query string.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    status: Option<String>,
    order: Option<String>,
    customer: Option<String>,
    q: Option<String>,
}

/// Lists threads, latest activity first.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Vec<ThreadSummary>>> {
    let side = Side::of(&viewer)?;
    let filter = super::db::Filter {
        customer_id: side.owner().map(|a| a.id.clone()),
        status: params
            .status
            .as_deref()
            .map(|raw| {
                ThreadStatus::parse(raw)
                    .ok_or_else(|| ApiError::validation("status", "open, pending or closed"))
            })
            .transpose()?,
        order: params
            .order
            .as_deref()
            .map(|raw| path_id(raw, "order"))
            .transpose()?,
        email: params
            .customer
            .as_deref()
            .map(|raw| Email::parse(raw).map_err(|e| e.on("customer")))
            .transpose()?,
        pattern: contains_pattern("q", params.q.as_deref())?,
    };
    Ok(Json(super::db::list(&mut host.db.auto(), &filter).await?))
}
