//! `POST /api/accounts/verify`: the token of a verification link marks the
//! account's e-mail verified and, in the same transaction, attaches the
//! earlier guest orders placed under that e-mail to the account (only a
//! verified address may claim them). Public: the link may be opened in
//! another browser than the one signed in. Idempotent: a second call with a
//! valid token changes nothing but attaches guest orders placed since.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::{EmailVerified, VerifyEmail};
use comptoir_shared::ids::Email;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::params;
use crate::port::Host;

/// Verifies the e-mail named by a link's token.
#[utoipa::path(
    post,
    path = "/api/accounts/verify",
    operation_id = "verify_email",

    summary = "Verify an e-mail with the link's token",
    tag = "accounts",
    description = "Public. Checks the token of a verification link (HMAC-SHA256 of the account, \
        its current e-mail and the expiry), marks the e-mail verified and attaches the guest \
        orders placed under that e-mail to the account. Calling it again is harmless.",
    request_body = VerifyEmail,
    security(()),
    responses(
        (status = 200, description = "The e-mail is verified.", body = EmailVerified),
        (status = 400, description = "`invalid_signature`: the token was not signed by the shop for this account and e-mail (forged, or the e-mail changed since).", body = ApiError),
        (status = 422, description = "`validation` on `token`: not a token, or expired (ask for a new link).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    ApiJson(body): ApiJson<VerifyEmail>,
) -> AppResult<Json<EmailVerified>> {
    let claim = super::verification::parse(&body.token)
        .ok_or_else(|| ApiError::validation("token", "not a verification token"))?;
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
    if !super::verification::check(&host.config.verification_secret, &claim, email.as_str()) {
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
            "UPDATE orders SET customer_id = ?1 WHERE customer_id IS NULL AND email = ?2 RETURNING id",
            params![claim.account.as_str(), email.as_str()],
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
