//! `POST /api/accounts/signout`: ends the session, here and in the browser.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// Deletes the session (if any) and expires the cookie.
#[utoipa::path(
    post,
    path = "/api/accounts/signout",
    operation_id = "sign_out",

    summary = "Sign out",
    tag = "accounts",
    description = "Public (with or without a session). Ends the session, here and in the browser.",
    security((), ("session" = [])),
    responses(
        (status = 204, description = "Signed out.", headers(("Set-Cookie" = String, description = "An expired `comptoir_session` cookie."))),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<(StatusCode, HeaderMap)> {
    if let Some(hash) = viewer.session_hash() {
        host.db
            .auto()
            .query("DELETE FROM sessions WHERE token_hash = ?1", params![hash])
            .await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, crate::identity::expired_cookie(&host)?);
    Ok((StatusCode::NO_CONTENT, headers))
}
