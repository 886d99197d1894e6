//! `POST /api/accounts/signin`: a session for the right e-mail and password.
//!
//! While the shop has no admin, the configured initial admin (`admin_email`,
//! `admin_password`) is created on its first sign-in.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role, SignIn};
use subtle::ConstantTimeEq as _;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::port::Host;

/// Checks the credentials (401 `invalid_credentials` either way) and opens a session.
pub async fn handle(
    State(host): State<Host>,
    ApiJson(body): ApiJson<SignIn>,
) -> AppResult<(HeaderMap, Json<Account>)> {
    let mut db = host.db.auto();
    let account = match super::auth::by_email(&mut db, &body.email).await? {
        Some((account, phc)) if super::password::verify(&body.password, &phc) => account,
        Some(_) => return Err(ApiError::InvalidCredentials.into()),
        None => match bootstrap_admin(&host, &body).await? {
            Some(account) => account,
            None => {
                // Same cost as a wrong password, so e-mails cannot be probed by timing.
                super::password::verify(&body.password, super::password::decoy());
                return Err(ApiError::InvalidCredentials.into());
            }
        },
    };
    let mut tx = host.db.begin().await?;
    let cookie = super::auth::open_session(tx.as_mut(), &host, &account.id).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((headers, Json(account)))
}

async fn bootstrap_admin(host: &Host, body: &SignIn) -> anyhow::Result<Option<Account>> {
    let Some((email, password)) = &host.config.initial_admin else {
        return Ok(None);
    };
    let matches = email.eq_ignore_ascii_case(body.email.as_str())
        && bool::from(password.as_bytes().ct_eq(body.password.as_bytes()));
    if !matches {
        return Ok(None);
    }
    let hash = super::password::hash(password)?;
    let mut tx = host.db.begin().await?;
    if tx
        .optional("SELECT 1 FROM accounts WHERE role = 'admin' LIMIT 1", &[])
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let created = super::auth::create(
        tx.as_mut(),
        &body.email,
        &hash,
        "Admin",
        Role::Admin,
        host.clock.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}
