//! `GET /api/support/surveys/{order_id}`: an order's survey answer, for the
//! customer who gave it or any staff member.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OrderId;
use comptoir_shared::support::Survey;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::identity::Viewer;
use crate::port::Host;

/// Reads the answer; 404 when there is none (or it is someone else's).
#[utoipa::path(
    get,
    path = "/api/support/surveys/{order_id}",
    operation_id = "get_survey",

    summary = "Read an order's survey answer",
    tag = "support",
    description = "Roles: the customer who gave it, or any staff account. An order's survey answer.",
    params(("order_id" = OrderId, Path, description = "The order rated.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The answer.", body = Survey),
        (status = 404, description = "`not_found` (`survey`): none (or someone else's).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Survey>> {
    let account = viewer.signed_in()?;
    let order = path_id(&raw, "survey")?;
    let owner = (!account.role.is_staff()).then_some(&account.id);
    super::db::surveys(&mut host.db.auto(), Some(&order), owner)
        .await?
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("survey").into())
}
