//! `POST /api/support/threads`: a signed-in customer opens a thread, about one
//! of their orders or not, with its first message.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::support::{MessageAuthor, NewThread, SupportThread};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Creates the thread (status `open`); 404 `order` for an order not theirs.
#[utoipa::path(
    post,
    path = "/api/support/threads",
    operation_id = "open_support_thread",

    summary = "Open a support thread",
    tag = "support",
    description = "Roles: customer. Opens a thread, about one of their orders or not, with its first message (status `open`).",
    request_body = NewThread,
    security(("session" = [])),
    responses(
        (status = 201, description = "The thread.", body = SupportThread),
        (status = 403, description = "`forbidden`: a staff account.", body = ApiError),
        (status = 404, description = "`not_found` (`order`): not an order of this customer.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewThread>,
) -> AppResult<(StatusCode, Json<SupportThread>)> {
    let customer = viewer.signed_in()?;
    if customer.role != Role::Customer {
        return Err(ApiError::Forbidden.into());
    }
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if let Some(order) = &body.order_id
        && !crate::orders::is_owner(tx.as_mut(), order, &customer.id).await?
    {
        return Err(ApiError::not_found("order").into());
    }
    let id = super::db::insert_thread(
        tx.as_mut(),
        customer,
        body.order_id.as_ref(),
        body.subject.as_str(),
        now,
    )
    .await?;
    super::db::add_message(
        tx.as_mut(),
        &id,
        customer,
        MessageAuthor::Customer,
        body.body.as_str(),
        now,
    )
    .await?;
    let thread = super::db::load(tx.as_mut(), &id, None)
        .await?
        .ok_or_else(|| ApiError::not_found("thread"))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(thread)))
}
