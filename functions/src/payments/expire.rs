//! Sessions the shop closed (their order was cancelled, or they lost the race
//! to be the order's open session) are expired at the provider too, so
//! nobody can pay through them. Whoever closes a session only marks it
//! (`provider_expiry_due`): the orders function may not reach Stripe. The
//! call is made here, by a function that may: the payments function when it
//! next opens a session, and the job runner (`crate::jobs`: the native
//! host's timer, `POST /api/jobs/run` under Spin). A payment that still lands
//! through such a session is refunded in full by the webhook.

use crate::port::Host;

use super::{db, provider};

/// Expires at most `limit` sessions owed an expiry at the configured
/// provider; returns `(done, failed)`. A failure leaves the session marked
/// for the next pass. Expiring twice is harmless (the provider refuses a
/// session no longer open; the call carries an idempotency key).
pub async fn expire_due(host: &Host, limit: i64) -> anyhow::Result<(u32, u32)> {
    let provider = provider::configured(host);
    let due = db::expiries_due(&mut host.db.auto(), provider.name(), limit).await?;
    let (mut done, mut failed) = (0, 0);
    for id in due {
        match provider.expire_session(host, &id).await {
            Ok(()) => {
                db::expiry_done(&mut host.db.auto(), &id).await?;
                done += 1;
            }
            Err(e) => {
                tracing::warn!(session = id, error = ?e, "payment session not expired yet");
                failed += 1;
            }
        }
    }
    Ok((done, failed))
}
