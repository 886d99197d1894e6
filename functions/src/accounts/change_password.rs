//! `POST /api/accounts/password`: change the password; other sessions end.

use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::ChangePassword;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::params;
use crate::port::Host;

use super::Viewer;

/// Checks the current password, stores the new hash, ends every other session.
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<ChangePassword>,
) -> AppResult<StatusCode> {
    let account = viewer.signed_in()?;
    let Some((_, phc)) = super::auth::by_email(&mut host.db.auto(), &account.email).await? else {
        return Err(ApiError::Unauthorized.into());
    };
    if !super::password::verify(&body.current, &phc) {
        return Err(ApiError::InvalidCredentials.into());
    }
    let hash = super::password::hash(body.new.expose())?;
    let mut tx = host.db.begin().await?;
    tx.query(
        "UPDATE accounts SET password_hash = ?2 WHERE id = ?1",
        params![account.id.as_str(), hash],
    )
    .await?;
    tx.query(
        "DELETE FROM sessions WHERE account_id = ?1 AND token_hash <> ?2",
        params![account.id.as_str(), viewer.session_hash()],
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
