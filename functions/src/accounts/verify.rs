//! `POST /api/accounts/verify`: the token of a verification link, sent from
//! a session of the very account it names, marks the account's e-mail
//! verified and, in the same transaction, attaches the guest orders placed
//! under that e-mail before it was verified (only a verified address may
//! claim them).
//!
//! Why a session: the link proves the mailbox, not who created the account.
//! Without it, anyone could sign up with another's address and, once its
//! owner clicked the link in good faith, own a verified account holding
//! that address's earlier guest orders (names, addresses). So the token's
//! account must be the signed-in one (`401` without a session, `403` with
//! another account's), and nothing is written otherwise.
//!
//! Guest orders placed after the verification stay guest orders: an order
//! joins an account when it is placed signed in to it (checkout), never
//! because of the address typed. Idempotent: a second call with a valid
//! token changes nothing and attaches nothing more.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::{EmailVerified, VerifyEmail};
use comptoir_shared::ids::Email;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Verifies the e-mail named by a link's token.
#[utoipa::path(
    post,
    path = "/api/accounts/verify",
    operation_id = "verify_email",

    summary = "Verify an e-mail with the link's token",
    tag = "accounts",
    description = "Roles: customer, signed in to the account the link was sent for (the token \
        names it). Checks the token of a verification link (HMAC-SHA256 of the account, its \
        current e-mail and the expiry), marks the e-mail verified and attaches the guest orders \
        placed under that e-mail before it was verified. Calling it again is harmless.",
    request_body = VerifyEmail,
    security(("session" = [])),
    responses(
        (status = 200, description = "The e-mail is verified.", body = EmailVerified),
        (status = 400, description = "`invalid_signature`: the token was not signed by the shop for this account and e-mail (forged, or the e-mail changed since).", body = ApiError),
        (status = 401, description = "`unauthorized`: no live session. Sign in to the account the link names, then open the link again.", body = ApiError),
        (status = 403, description = "`forbidden`: signed in to another account than the link's.", body = ApiError),
        (status = 422, description = "`validation` on `token`: not a token, or expired (ask for a new link).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<VerifyEmail>,
) -> AppResult<Json<EmailVerified>> {
    let signed_in = viewer.signed_in()?;
    let claim = super::verification::parse(&body.token)
        .ok_or_else(|| ApiError::validation("token", "not a verification token"))?;
    if claim.account != signed_in.id {
        return Err(ApiError::Forbidden.into());
    }
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(account) = tx
        .optional(
            "SELECT email FROM accounts WHERE id = ?1 AND role = 'customer' AND disabled_at IS NULL",
            params![claim.account.as_str()],
        )
        .await?
    else {
        return Err(ApiError::InvalidSignature.into());
    };
    let email = account.parse(0, Email::parse)?;
    if !super::verification::check(host.config.verification_key()?, &claim, email.as_str()) {
        return Err(ApiError::InvalidSignature.into());
    }
    if claim.expires_ms <= now {
        return Err(
            ApiError::validation("token", "this link has expired: ask for a new one").into(),
        );
    }
    // The e-mail is matched again: a change since the read is a stale link.
    let Some(verified) = tx
        .optional(
            "UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ?2) \
             WHERE id = ?1 AND email = ?3 RETURNING email_verified_at",
            params![claim.account.as_str(), now, email.as_str()],
        )
        .await?
    else {
        return Err(ApiError::InvalidSignature.into());
    };
    let verified_at = verified.int(0)?;
    let attached = tx
        .query(
            "UPDATE orders SET customer_id = ?1 \
             WHERE customer_id IS NULL AND email = ?2 AND created_at <= ?3 RETURNING id",
            params![claim.account.as_str(), email.as_str(), verified_at],
        )
        .await?
        .len();
    tx.commit().await?;
    Ok(Json(EmailVerified {
        email,
        verified_at_ms: verified_at,
        attached_orders: i64::try_from(attached).unwrap_or(i64::MAX),
    }))
}
