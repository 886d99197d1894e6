//! E-mail verification by a signed link, and `POST /api/accounts/verification`:
//! a signed-in customer asks for a (new) link.
//!
//! The link is `<public_base_url>/compte/verifier?token=<account>.<expiry>.<tag>`:
//! the tag is HMAC-SHA256, keyed by the `verification_secret` variable, of
//! the account id, its e-mail and the expiry (unix ms), so a changed e-mail
//! or expiry breaks it. Nothing is stored: the account row and the key are
//! enough to check a link ([`check`], constant-time). Sign-up writes the
//! first link to the outbox in its transaction ([`enqueue`]);
//! `POST /api/accounts/verify` ([`super::verify`]) uses it, from a session
//! of the account the link names only: whoever signs up with another's
//! address cannot have it verified by its owner's click. The link is a
//! secret: the outbox listing staff read masks it
//! ([`crate::outbox::redact_links`]).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role, VerificationSent};
use comptoir_shared::ids::OpaqueId;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::config::Config;
use crate::error::AppResult;
use crate::identity::Viewer;
use crate::outbox::Kind;
use crate::params;
use crate::port::{Executor, Host};

/// How long a link works.
pub const LINK_TTL_MS: i64 = 48 * 3_600_000;

/// One message per address and hour, however often it is asked for.
const RESEND_BUCKET_MS: i64 = 3_600_000;

fn mac(secret: &str, account: &str, email: &str, expires_ms: i64) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    // Newline-separated: none of the parts can hold one.
    mac.update(format!("comptoir-email-verification\n{account}\n{email}\n{expires_ms}").as_bytes());
    mac
}

/// The token for `account` with `email`, valid until `expires_ms`.
pub fn token(secret: &str, account: &OpaqueId, email: &str, expires_ms: i64) -> String {
    let tag = mac(secret, account.as_str(), email, expires_ms)
        .finalize()
        .into_bytes();
    format!("{account}.{expires_ms}.{}", hex::encode(tag))
}

/// What a token says, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The account it names.
    pub account: OpaqueId,
    /// Its expiry, unix ms.
    pub expires_ms: i64,
    tag: Vec<u8>,
}

/// Reads a token's parts; `None` when it is not shaped like one.
pub fn parse(token: &str) -> Option<Claim> {
    let mut parts = token.trim().split('.');
    let (account, expires, tag) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || tag.len() != 64 {
        return None;
    }
    Some(Claim {
        account: OpaqueId::parse(account).ok()?,
        expires_ms: expires.parse().ok()?,
        tag: hex::decode(tag).ok()?,
    })
}

/// Whether `claim` was signed with `secret` for the account's current `email`
/// (constant-time comparison).
pub fn check(secret: &str, claim: &Claim, email: &str) -> bool {
    let expected = mac(secret, claim.account.as_str(), email, claim.expires_ms)
        .finalize()
        .into_bytes();
    bool::from(expected.as_slice().ct_eq(&claim.tag))
}

/// The link for `account`, valid [`LINK_TTL_MS`] from `now_ms`.
pub fn link(config: &Config, account: &Account, now_ms: i64) -> anyhow::Result<String> {
    let token = token(
        config.verification_key()?,
        &account.id,
        account.email.as_str(),
        now_ms + LINK_TTL_MS,
    );
    Ok(format!(
        "{}/compte/verifier?token={token}",
        config.public_base_url
    ))
}

/// The verification message for `link`, French first, then English: open
/// it signed in to the account; whoever did not sign up on `shop` (the
/// shop's host name) ignores it.
pub fn message(shop: &str, link: &str) -> (String, String) {
    let subject =
        "Comptoir — confirmez votre adresse e-mail / confirm your e-mail address".to_owned();
    let body = format!(
        "Bonjour,\n\n\
         Pour confirmer votre adresse e-mail, ouvrez ce lien (valable 48 heures) et connectez-vous \
         au compte créé avec cette adresse :\n{link}\n\n\
         Les commandes passées sans compte avec cette adresse avant la confirmation rejoindront \
         alors votre compte.\n\n\
         Si vous n'avez pas créé de compte sur {shop}, ignorez ce message : sans connexion à ce \
         compte, le lien ne fait rien.\n\nComptoir\n\n\
         ---\n\n\
         Hello,\n\n\
         To confirm your e-mail address, open this link (valid for 48 hours) and sign in to the \
         account created with this address:\n{link}\n\n\
         Orders placed without an account under this address before the confirmation will then \
         join your account.\n\n\
         If you did not create an account on {shop}, ignore this message: without signing in to \
         that account, the link does nothing.\n\nComptoir"
    );
    (subject, body)
}

/// Writes the verification message for `account` to the outbox in the
/// caller's transaction (at most one per address and hour).
pub async fn enqueue(
    tx: &mut dyn Executor,
    config: &Config,
    account: &Account,
    now_ms: i64,
) -> anyhow::Result<()> {
    let link = link(config, account, now_ms)?;
    let shop = crate::config::origin_of(&config.public_base_url)
        .and_then(|o| o.split_once("://").map(|(_, host)| host.to_owned()))
        .unwrap_or_else(|| config.public_base_url.clone());
    let (subject, body) = message(&shop, &link);
    crate::outbox::enqueue_account(
        tx,
        Kind::EmailVerification,
        &format!(
            "{}:{}:{}",
            account.id,
            account.email.as_str(),
            now_ms / RESEND_BUCKET_MS
        ),
        account.email.as_str(),
        &subject,
        &body,
        now_ms,
    )
    .await
}

/// Sends a new verification link.
#[utoipa::path(
    post,
    path = "/api/accounts/verification",
    operation_id = "request_email_verification",

    summary = "Ask for an e-mail verification link",
    tag = "accounts",
    description = "Roles: customer. Writes a verification link (valid 48 hours) to the outbox for \
        the account's e-mail; asking again within the hour sends nothing more.",
    security(("session" = [])),
    responses(
        (status = 202, description = "The link is on its way.", body = VerificationSent),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: a staff account.", body = ApiError),
        (status = 409, description = "`conflict`: the e-mail is already verified.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<(StatusCode, Json<VerificationSent>)> {
    let account = viewer.signed_in()?;
    if account.role != Role::Customer {
        return Err(ApiError::Forbidden.into());
    }
    let mut tx = host.db.begin().await?;
    let verified = tx
        .one(
            "SELECT email_verified_at FROM accounts WHERE id = ?1",
            params![account.id.as_str()],
        )
        .await?
        .opt_int(0)?;
    if verified.is_some() {
        return Err(ApiError::Conflict {
            message: "this e-mail is already verified".into(),
        }
        .into());
    }
    enqueue(tx.as_mut(), &host.config, account, host.clock.now_ms()).await?;
    tx.commit().await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(VerificationSent {
            email: account.email.clone(),
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_checks_only_with_its_key_email_and_expiry() {
        let account = OpaqueId::from_u128(7);
        let t = token("key", &account, "marie@exemple.fr", 1_000);
        let claim = parse(&t).unwrap();
        assert_eq!((claim.account.clone(), claim.expires_ms), (account, 1_000));
        assert!(check("key", &claim, "marie@exemple.fr"));
        assert!(!check("other key", &claim, "marie@exemple.fr"));
        assert!(!check("key", &claim, "pierre@exemple.fr"));
        let later = t.replacen(".1000.", ".999999.", 1);
        assert!(!check("key", &parse(&later).unwrap(), "marie@exemple.fr"));
        assert_eq!(parse("nothing"), None);
        assert_eq!(parse(&format!("{t}.x")), None);
    }

    #[test]
    fn the_message_says_to_sign_in_and_to_ignore_it_otherwise_in_french_then_english() {
        let (subject, body) = message(
            "boutique.example",
            "https://boutique.example/compte/verifier?token=t",
        );
        assert!(subject.starts_with("Comptoir — confirmez"));
        let fr = body
            .find("Si vous n'avez pas créé de compte sur boutique.example, ignorez ce message")
            .unwrap();
        let en = body
            .find("If you did not create an account on boutique.example, ignore this message")
            .unwrap();
        assert!(fr < en, "French first");
        assert_eq!(body.matches("/compte/verifier?token=t\n").count(), 2);
        assert!(body.contains("connectez-vous") && body.contains("sign in"));
    }
}
