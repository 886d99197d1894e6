//! Identity: who is asking, below every context. The [`Viewer`] extractor
//! every handler that needs an account takes and asks; sessions, opened at
//! sign-in and ended at sign-out; the account rows sign-in reads and sign-up
//! writes.
//!
//! A session is a random 256-bit token in an HttpOnly cookie —
//! `SameSite=Strict` for staff, `Lax` for customers (who come back signed in
//! from the payment provider's page) — and the database keeps only its
//! SHA-256. Cross-origin state changes are refused at the [`crate::edge`]
//! whatever the cookie says.

use anyhow::Context as _;
use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::request::Parts;
use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role};
use comptoir_shared::ids::{Email, OpaqueId};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::params;
use crate::port::{Executor, Host};

/// The session cookie's name over plain http (local runs, tests).
pub const COOKIE: &str = "comptoir_session";

/// The session cookie's name over https: the `__Host-` prefix makes the
/// browser refuse it unless it is `Secure`, host-only and `Path=/`, so a
/// sibling subdomain cannot plant one ("cookie tossing").
pub const HOST_COOKIE: &str = "__Host-comptoir_session";

fn cookie_name(host: &Host) -> &'static str {
    if host.config.public_base_url.starts_with("https://") {
        HOST_COOKIE
    } else {
        COOKIE
    }
}
const SESSION_MS: i64 = 30 * 24 * 3600 * 1000;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a session for `account`, ending the one the request presented
/// (`replacing`, a token hash: sign-in and password changes rotate the
/// token); returns the `Set-Cookie` value.
pub async fn open_session(
    tx: &mut dyn Executor,
    host: &Host,
    account: &Account,
    replacing: Option<&str>,
) -> anyhow::Result<HeaderValue> {
    if let Some(old) = replacing {
        tx.query("DELETE FROM sessions WHERE token_hash = ?1", params![old])
            .await?;
    }
    let token = format!("{}{}", crate::port::new_id(), crate::port::new_id());
    let now = host.clock.now_ms();
    tx.query(
        "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash(&token), account.id.as_str(), now, now + SESSION_MS],
    )
    .await?;
    let same_site = if account.role.is_staff() {
        "Strict"
    } else {
        "Lax"
    };
    cookie(host, &token, SESSION_MS / 1000, same_site)
}

/// A `Set-Cookie` value that ends the session in the browser.
pub fn expired_cookie(host: &Host) -> anyhow::Result<HeaderValue> {
    cookie(host, "", 0, "Lax")
}

fn cookie(host: &Host, token: &str, max_age: i64, same_site: &str) -> anyhow::Result<HeaderValue> {
    let secure = if host.config.public_base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(host);
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    ))
    .context("building the session cookie")
}

/// The session token the request carries. Two session cookies mean one was
/// planted (a sibling subdomain can set a cookie of the same name for a
/// narrower path, sent first): the request is then treated as signed out
/// rather than as whichever account the first one names.
fn token_from(parts: &Parts, name: &str) -> Option<String> {
    let mut tokens = parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(n, value)| *n == name && !value.is_empty())
        .map(|(_, value)| value.to_owned());
    let token = tokens.next()?;
    tokens.next().is_none().then_some(token)
}

/// Who is asking: the signed-in account, if any, and its session token.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account, when the cookie names a live session.
    pub account: Option<Account>,
    token: Option<String>,
}

impl Viewer {
    /// The account, or 401.
    pub fn signed_in(&self) -> Result<&Account, ApiError> {
        self.account.as_ref().ok_or(ApiError::Unauthorized)
    }

    /// The account if it holds one of `roles` (admins always pass), else 401/403.
    pub fn require(&self, roles: &[Role]) -> Result<&Account, ApiError> {
        let account = self.signed_in()?;
        if account.role == Role::Admin || roles.contains(&account.role) {
            Ok(account)
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The staff account, or 401/403.
    pub fn staff(&self) -> Result<&Account, ApiError> {
        let account = self.signed_in()?;
        if account.role.is_staff() {
            Ok(account)
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The session's token hash, to end it.
    pub fn session_hash(&self) -> Option<String> {
        self.token.as_deref().map(token_hash)
    }
}

impl FromRequestParts<Host> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, host: &Host) -> Result<Self, Self::Rejection> {
        let Some(token) = token_from(parts, cookie_name(host)) else {
            return Ok(Self {
                account: None,
                token: None,
            });
        };
        let row = host
            .db
            .auto()
            .optional(
                "SELECT a.id, a.email, a.name, a.role FROM sessions s JOIN accounts a ON a.id = s.account_id \
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND a.disabled_at IS NULL",
                params![token_hash(&token), host.clock.now_ms()],
            )
            .await?;
        let account = row
            .map(|r| -> anyhow::Result<Account> {
                Ok(Account {
                    id: r.parse(0, OpaqueId::parse)?,
                    email: r.parse(1, Email::parse)?,
                    name: r.text(2)?.to_owned(),
                    role: Role::parse(r.text(3)?).context("stored role")?,
                })
            })
            .transpose()?;
        Ok(Self {
            account,
            token: Some(token),
        })
    }
}

/// Loads an enabled account by e-mail with its password hash (a disabled
/// one reads as absent, so it cannot sign in).
pub async fn by_email(
    db: &mut dyn Executor,
    email: &Email,
) -> anyhow::Result<Option<(Account, String)>> {
    db.optional(
        "SELECT id, email, name, role, password_hash FROM accounts WHERE email = ?1 AND disabled_at IS NULL",
        params![email.as_str()],
    )
    .await?
    .map(|r| -> anyhow::Result<(Account, String)> {
        Ok((
            Account {
                id: r.parse(0, OpaqueId::parse)?,
                email: r.parse(1, Email::parse)?,
                name: r.text(2)?.to_owned(),
                role: Role::parse(r.text(3)?).context("stored role")?,
            },
            r.text(4)?.to_owned(),
        ))
    })
    .transpose()
}

/// Creates an account; `None` when the e-mail is taken.
pub async fn create(
    tx: &mut dyn Executor,
    email: &Email,
    password_hash: &str,
    name: &str,
    role: Role,
    now_ms: i64,
) -> anyhow::Result<Option<Account>> {
    let id = crate::port::new_id();
    let inserted = tx
        .optional(
            "INSERT INTO accounts (id, email, password_hash, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (email) DO NOTHING RETURNING id",
            params![id.as_str(), email.as_str(), password_hash, name, role.as_str(), now_ms],
        )
        .await?;
    Ok(inserted.map(|_| Account {
        id,
        email: email.clone(),
        name: name.to_owned(),
        role,
    }))
}
