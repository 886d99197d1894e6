//! `POST /api/support/threads/{id}/messages`: the customer or the support
//! desk writes in a thread. A customer's message (re)opens it; a staff reply
//! leaves it `pending`, waiting for the customer.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::support::{MessageAuthor, NewMessage, SupportThread};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::port::Host;

use super::Side;

/// Appends the message and answers the thread.
#[utoipa::path(
    post,
    path = "/api/support/threads/{id}/messages",
    operation_id = "reply_support_thread",

    summary = "Write in a support thread",
    tag = "support",
    description = "Roles: the thread's customer, support, admin. Writes in the thread: a \
        customer's message (re)opens it, a staff reply leaves it `pending`.",
    params(("id" = OpaqueId, Path, description = "The thread's id.")),
    request_body = NewMessage,
    security(("session" = [])),
    responses(
        (status = 200, description = "The thread with the new message.", body = SupportThread),
        (status = 403, description = "`forbidden`: a staff account without the support role.", body = ApiError),
        (status = 404, description = "`not_found` (`thread`): no such thread, or someone else's.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<NewMessage>,
) -> AppResult<Json<SupportThread>> {
    let side = Side::of(&viewer)?;
    let id = path_id(&raw, "thread")?;
    let (author, kind) = match side {
        Side::Customer(account) => (account, MessageAuthor::Customer),
        Side::Staff(account) => (account, MessageAuthor::Staff),
    };
    let mut tx = host.db.begin().await?;
    if super::db::load(tx.as_mut(), &id, side.owner())
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("thread").into());
    }
    let now = host.clock.now_ms();
    super::db::add_message(tx.as_mut(), &id, author, kind, body.body.as_str(), now).await?;
    if kind == MessageAuthor::Staff {
        let excerpt: String = body.body.as_str().chars().take(80).collect();
        crate::audit::record(
            tx.as_mut(),
            author,
            AuditAction::SupportReply,
            id.as_str(),
            &excerpt,
            now,
        )
        .await?;
    }
    let thread = super::db::load(tx.as_mut(), &id, None)
        .await?
        .ok_or_else(|| ApiError::not_found("thread"))?;
    tx.commit().await?;
    Ok(Json(thread))
}
