//! `POST /api/accounts/signin`: a session for the right e-mail and password.
//!
//! Throttled ([`super::throttle`]) per account and per client address before
//! any password is checked; the check itself runs on the host's CPU pool. A
//! session the request presented is ended: signing in always rotates the
//! token. While the shop has no admin, the configured initial admin
//! (`admin_email`, `admin_password`) is created on its first sign-in.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role, SignIn};
use subtle::ConstantTimeEq as _;

use crate::edge::ClientAddr;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Checks the credentials (401 `invalid_credentials` either way, 429
/// `too_many_attempts` while throttled) and opens a session.
#[utoipa::path(
    post,
    path = "/api/accounts/signin",
    operation_id = "sign_in",

    summary = "Sign in",
    tag = "accounts",
    description = "Public. Opens a session for the right e-mail and password; a session the \
        request presented is ended (the token always changes). Failed attempts are throttled \
        per account and per client address.",
    request_body = SignIn,
    security((), ("session" = [])),
    responses(
        (status = 200, description = "The account, signed in.", body = Account, headers(("Set-Cookie" = String, description = "The new session: `comptoir_session=<token>; Path=/; HttpOnly; SameSite=…; Max-Age=2592000` (`__Host-comptoir_session`, `Secure`, on https)."))),
        (status = 401, description = "`invalid_credentials`: wrong e-mail or password (deliberately not saying which).", body = ApiError),
        (status = 429, description = "`too_many_attempts`: wait `retry_after_seconds`.", body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait."))),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    ClientAddr(client): ClientAddr,
    viewer: Viewer,
    ApiJson(body): ApiJson<SignIn>,
) -> AppResult<(HeaderMap, Json<Account>)> {
    let attempt = super::throttle::admit(&host, &body.email, client).await?;
    let cpu = host.cpu.as_ref();
    let account = match crate::identity::by_email(&mut host.db.auto(), &body.email).await? {
        Some((account, phc)) if super::password::verify(cpu, &body.password, &phc).await? => {
            account
        }
        Some(_) => return Err(ApiError::InvalidCredentials.into()),
        None => match bootstrap_admin(&host, &body).await? {
            Some(account) => account,
            None => {
                // Same cost as a wrong password, so e-mails cannot be probed by timing.
                super::password::verify(cpu, &body.password, super::password::decoy()).await?;
                return Err(ApiError::InvalidCredentials.into());
            }
        },
    };
    super::throttle::succeeded(&host, &attempt).await?;
    let mut tx = host.db.begin().await?;
    let replacing = viewer.session_hash();
    let cookie =
        crate::identity::open_session(tx.as_mut(), &host, &account, replacing.as_deref()).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((headers, Json(account)))
}

async fn bootstrap_admin(host: &Host, body: &SignIn) -> AppResult<Option<Account>> {
    let Some((email, password)) = &host.config.initial_admin else {
        return Ok(None);
    };
    let matches = email.eq_ignore_ascii_case(body.email.as_str())
        && bool::from(password.as_bytes().ct_eq(body.password.as_bytes()));
    if !matches {
        return Ok(None);
    }
    let hash = super::password::hash(host.cpu.as_ref(), password).await?;
    let mut tx = host.db.begin().await?;
    if tx
        .optional("SELECT 1 FROM accounts WHERE role = 'admin' LIMIT 1", &[])
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let created = crate::identity::create(
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
