//! `POST /api/accounts/signup`: a customer account, signed in at once, and
//! its e-mail verification link in the outbox (guest orders under the
//! e-mail join the account once it is verified, `super::verify`).
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
#[utoipa::path(
    post,
    path = "/api/accounts/signup",
    operation_id = "sign_up",

    summary = "Sign up (customer account)",
    tag = "accounts",
    description = "Public. Creates a customer account, signs it in and writes an e-mail \
        verification link to the outbox (earlier guest orders under the e-mail join the account \
        once it is verified).",
    request_body = SignUp,
    security(()),
    responses(
        (status = 201, description = "The account, signed in.", body = Account, headers(("Set-Cookie" = String, description = "The new session: `comptoir_session=<token>; Path=/; HttpOnly; SameSite=…; Max-Age=2592000` (`__Host-comptoir_session`, `Secure`, on https)."))),
        (status = 409, description = "`conflict`: an account already uses this e-mail.", body = ApiError),
        (status = 422, description = "`validation`: the e-mail, the password (10 to 128 characters) or the name (at most 100 characters) is invalid.", body = ApiError),
        (status = 429, description = "`too_many_attempts`: too many sign-ups from this address; retry after `Retry-After` seconds.", body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait."))),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
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
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(account) =
        crate::identity::create(tx.as_mut(), &body.email, &hash, &name, Role::Customer, now)
            .await?
    else {
        return taken();
    };
    // The e-mail is not verified yet: its link goes out with the account.
    super::verification::enqueue(tx.as_mut(), &host.config, &account, now).await?;
    let cookie = crate::identity::open_session(tx.as_mut(), &host, &account, None).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie);
    Ok((StatusCode::CREATED, headers, Json(account)))
}
