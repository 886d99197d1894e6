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
use crate::params;
use crate::port::Host;

use super::Viewer;

/// Checks the current password, stores the new hash, ends every session and
/// opens a fresh one for the caller.
pub async fn handle(
    State(host): State<Host>,
    ClientAddr(client): ClientAddr,
    viewer: Viewer,
    ApiJson(body): ApiJson<ChangePassword>,
) -> AppResult<(StatusCode, HeaderMap)> {
    let account = viewer.signed_in()?;
    let attempt = super::throttle::admit(&host, &account.email, client).await?;
    let Some((_, phc)) = super::auth::by_email(&mut host.db.auto(), &account.email).await? else {
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
    let cookie = super::auth::open_session(tx.as_mut(), &host, account, None).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((StatusCode::NO_CONTENT, headers))
}
