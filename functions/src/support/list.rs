//! `GET /api/support/threads`: a customer's own threads (`?order=`), or the
//! support inbox (`?status=`, `?order=`, `?customer=<e-mail>`, `?q=<text>`
//! in the subject or any message).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::ids::Email;
use comptoir_shared::ids::OrderId;
use comptoir_shared::support::{ThreadStatus, ThreadSummary};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, contains_pattern, path_id};
use crate::identity::Viewer;
use crate::port::Host;

use super::Side;

/// The query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Only threads in this status (the inbox).
    #[param(value_type = Option<ThreadStatus>)]
    status: Option<String>,
    /// Only threads about this order.
    #[param(value_type = Option<OrderId>)]
    order: Option<String>,
    /// Only this customer's threads, by e-mail (the inbox).
    #[param(value_type = Option<Email>)]
    customer: Option<String>,
    /// Words to look for in the subject or any message (at most 100 characters).
    #[param(max_length = 100)]
    q: Option<String>,
}

/// Lists threads, latest activity first.
#[utoipa::path(
    get,
    path = "/api/support/threads",
    operation_id = "list_support_threads",

    summary = "List support threads",
    tag = "support",
    description = "Roles: a customer (their own threads), support or admin (the inbox). Latest activity first.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The threads.", body = Vec<ThreadSummary>),
        (status = 403, description = "`forbidden`: a staff account without the support role.", body = ApiError),
        (status = 404, description = "`not_found` (`order`): `order` is not an order id.", body = ApiError),
        (status = 422, description = "`validation`: a filter does not parse (the parameter is named).", body = ApiError),
    )
)]
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
