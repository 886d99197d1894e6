//! `POST /api/accounts/password`: change the password. The current password
//! is checked under the sign-in throttle (a stolen session must not become a
//! guessing machine). Every session of the account ends, the caller's own
//! included: the answer carries a new token.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use comptoir_shared::ApiError;
use comptoir_shared::account::ChangePassword;

use crate::edge::ClientAddr;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Checks the current password, stores the new hash, ends every session and
/// opens a fresh one for the caller.
#[utoipa::path(
    post,
    path = "/api/accounts/password",
    operation_id = "change_password",

    summary = "Change my password",
    tag = "accounts",
    description = "Roles: any account. Changes the password. Every session of the account ends, \
        the caller's own included: the answer carries a new one.",
    request_body = ChangePassword,
    security(("session" = [])),
    responses(
        (status = 204, description = "Changed, signed in again.", headers(("Set-Cookie" = String, description = "The new session: `comptoir_session=<token>; Path=/; HttpOnly; SameSite=…; Max-Age=2592000` (`__Host-comptoir_session`, `Secure`, on https)."))),
        (status = 401, description = "`invalid_credentials`: the current password is wrong.", body = ApiError),
        (status = 422, description = "`validation` (`new`): 10 to 128 characters.", body = ApiError),
        (status = 429, description = "`too_many_attempts`: too many wrong current passwords; wait `retry_after_seconds`.", body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait."))),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    ClientAddr(client): ClientAddr,
    viewer: Viewer,
    ApiJson(body): ApiJson<ChangePassword>,
) -> AppResult<(StatusCode, HeaderMap)> {
    let account = viewer.signed_in()?;
    let attempt = super::throttle::admit(&host, &account.email, client).await?;
    let Some((_, phc)) = crate::identity::by_email(&mut host.db.auto(), &account.email).await?
    else {
        return Err(ApiError::Unauthorized.into());
    };
    let cpu = host.cpu.as_ref();
    if !super::password::verify(cpu, &body.current, &phc).await? {
        return Err(ApiError::InvalidCredentials.into());
    }
    super::throttle::succeeded(&host, &attempt).await?;
    let hash = super::password::hash(cpu, body.new.expose()).await?;
    let mut tx = host.db.begin().await?;
    tx.query(
        "UPDATE accounts SET password_hash = ?2 WHERE id = ?1",
        params![account.id.as_str(), hash],
    )
    .await?;
    tx.query(
        "DELETE FROM sessions WHERE account_id = ?1",
        params![account.id.as_str()],
    )
    .await?;
    let cookie = crate::identity::open_session(tx.as_mut(), &host, account, None).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((StatusCode::NO_CONTENT, headers))
}
