//! `POST /api/accounts/signup`: a customer account, signed in at once.
//! Each sign-up costs a password hash: they are counted per client address
//! ([`super::throttle::admit_signup`]).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role, SignUp};

use crate::edge::ClientAddr;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::port::Host;

/// Creates the account (409 when the e-mail is taken, 429 after too many
/// sign-ups from one address) and opens a session.
pub async fn handle(
    State(host): State<Host>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<SignUp>,
) -> AppResult<(StatusCode, HeaderMap, Json<Account>)> {
    let taken = || -> AppResult<(StatusCode, HeaderMap, Json<Account>)> {
        Err(ApiError::Conflict {
            message: "an account already uses this e-mail".into(),
        }
        .into())
    };
    // The configured first admin's e-mail is reserved: a customer signing up
    // with it first would otherwise lock the shop's admin out for good.
    if host
        .config
        .initial_admin
        .as_ref()
        .is_some_and(|(email, _)| email.eq_ignore_ascii_case(body.email.as_str()))
    {
        return taken();
    }
    let name = crate::extract::text("name", &body.name, 100, false)?;
    super::throttle::admit_signup(&host, client).await?;
    // Hash before taking the write lock: it is the slow part.
    let hash = super::password::hash(host.cpu.as_ref(), body.password.expose()).await?;
    let mut tx = host.db.begin().await?;
    let Some(account) = super::auth::create(
        tx.as_mut(),
        &body.email,
        &hash,
        &name,
        Role::Customer,
        host.clock.now_ms(),
    )
    .await?
    else {
        return taken();
    };
    let cookie = super::auth::open_session(tx.as_mut(), &host, &account, None).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((StatusCode::CREATED, headers, Json(account)))
}
