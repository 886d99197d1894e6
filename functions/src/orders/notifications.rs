//! `GET /api/orders/notifications?unsent=1`: the outbox, for support and
//! admins — what was (or is still to be) sent to customers, every link
//! carrying a token masked (a verification link is its recipient's alone).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::notification::Notification;
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// `?unsent=1` keeps only what is not sent yet.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// `1` or `true` keeps only what is not sent yet; anything else lists everything.
    unsent: Option<String>,
}

/// Lists notifications, unsent first.
#[utoipa::path(
    get,
    path = "/api/orders/notifications",
    operation_id = "list_notifications",

    summary = "List customer notifications (outbox)",
    tag = "orders",
    description = "Roles: support, admin. The outbox: what was (or is still to be) sent to customers, unsent first. \
        Links that carry a token (e-mail verification) read `[lien masqué]`: staff see that a link \
        was sent and to whom, never the link.",
    params(Filter),
    security(("session" = [])),
    responses(
        (status = 200, description = "The notifications.", body = Vec<Notification>),
        (status = 403, description = "`forbidden`: neither support nor an admin.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(filter): ApiQuery<Filter>,
) -> AppResult<Json<Vec<Notification>>> {
    viewer.require(&[Role::Support])?;
    let unsent = matches!(filter.unsent.as_deref(), Some("1" | "true"));
    Ok(Json(
        crate::outbox::list(&mut host.db.auto(), unsent).await?,
    ))
}
