//! `GET /api/refunds/mine?order=<id>`: the signed-in customer's refunds,
//! newest first — one order's (404 when the order is not theirs) or all.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::ids::OrderId;
use comptoir_shared::refund::Refund;
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, path_id};
use crate::identity::Viewer;
use crate::port::Host;

/// `?order=` narrows to one order.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Only this order's refunds (one of the caller's orders).
    #[param(value_type = Option<OrderId>)]
    order: Option<String>,
}

/// Lists the customer's refunds.
#[utoipa::path(
    get,
    path = "/api/refunds/mine",
    operation_id = "list_my_refunds",

    summary = "List my refunds",
    tag = "refunds",
    description = "Roles: any account. The caller's refunds, newest first: one order's, or all.",
    params(Filter),
    security(("session" = [])),
    responses(
        (status = 200, description = "The refunds.", body = Vec<Refund>),
        (status = 404, description = "`not_found` (`order`): not an order of this account.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(filter): ApiQuery<Filter>,
) -> AppResult<Json<Vec<Refund>>> {
    let account = viewer.signed_in()?;
    let order = filter
        .order
        .as_deref()
        .map(|raw| path_id(raw, "order"))
        .transpose()?;
    let mut db = host.db.auto();
    if let Some(order) = &order
        && !crate::orders::is_owner(&mut db, order, &account.id).await?
    {
        return Err(ApiError::not_found("order").into());
    }
    let refunds = super::db::of_customer(&mut db, &account.id, order.as_ref()).await?;
    Ok(Json(refunds))
}
