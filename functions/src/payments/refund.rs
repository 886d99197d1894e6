//! Sending committed refunds to the provider: at once after the commit that
//! decides them ([`execute`]), or later by the job runner ([`execute_stale`]).
//! Here, beside the webhook, because the offline provider answers a refund
//! with an event through it.

use comptoir_shared::ApiError;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::refund::{Refund, RefundStatus};

use crate::error::AppResult;
use crate::params;
use crate::port::{Executor as _, Host};
use crate::refunds::db::{load, settle};

/// How long a runner owns a committed refund it claimed to send: longer
/// than a provider call may take (20 s timeout), so a second runner never
/// sends it while the first is still waiting for the answer.
const SEND_CLAIM_MS: i64 = 300_000;

/// Executes committed refunds nobody sent yet (no provider id, older than
/// `grace_ms`), at most `limit`: the cancellation's refund, a capture's the
/// order did not keep, or one whose provider call failed. The job runner's
/// duty. Each is claimed by a conditional update first, so concurrent
/// runners send each refund once; the provider call also carries the
/// refund's idempotency key. Returns `(sent, failed)`; a failure gives the
/// claim back and the refund stays `pending` for the next pass.
pub async fn execute_stale(host: &Host, grace_ms: i64, limit: u32) -> anyhow::Result<(u32, u32)> {
    let now = host.clock.now_ms();
    let stale = host
        .db
        .auto()
        .query(
            "SELECT id FROM refunds WHERE status = 'pending' AND provider_refund_id IS NULL AND decided_at <= ?1 \
             AND (send_claimed_until IS NULL OR send_claimed_until <= ?2) ORDER BY decided_at LIMIT ?3",
            params![now - grace_ms, now, limit],
        )
        .await?;
    let (mut sent, mut failed) = (0, 0);
    for row in stale {
        let id = row.parse(0, OpaqueId::parse)?;
        let claimed = host
            .db
            .query(
                "UPDATE refunds SET send_claimed_until = ?2 WHERE id = ?1 AND status = 'pending' \
                 AND provider_refund_id IS NULL AND (send_claimed_until IS NULL OR send_claimed_until <= ?3) RETURNING id",
                params![id.as_str(), now + SEND_CLAIM_MS, now],
            )
            .await?;
        if claimed.is_empty() {
            continue; // another runner has it, or it moved on
        }
        match execute(host, &id).await {
            Ok(_) => sent += 1,
            Err(e) => {
                tracing::warn!(refund = %id, error = ?e, "refund still pending");
                host.db
                    .query(
                        "UPDATE refunds SET send_claimed_until = NULL WHERE id = ?1",
                        params![id.as_str()],
                    )
                    .await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

/// Sends a committed (`pending`) refund to the provider and records the
/// answer. Outside any transaction: no lock is held over the network. Safe to
/// retry: the provider call carries an idempotency key per refund.
pub async fn execute(host: &Host, id: &OpaqueId) -> AppResult<Refund> {
    let mut db = host.db.auto();
    let refund = load(&mut db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("refund"))?;
    if refund.status == RefundStatus::Pending {
        // Through the capture it gives back: the one it names, or the order's.
        let reference = match &refund.capture_reference {
            Some(capture) => Some(capture.clone()),
            None => db
                .one(
                    "SELECT payment_reference FROM orders WHERE id = ?1",
                    params![refund.order_id.as_str()],
                )
                .await?
                .opt_text(0)?
                .map(str::to_owned),
        };
        let provider = super::provider::configured(host);
        let verdict = provider.refund(host, &refund, reference.as_deref()).await?;
        if verdict.status != RefundStatus::Pending {
            let mut tx = host.db.begin().await?;
            settle(
                tx.as_mut(),
                id,
                Some(&verdict.id),
                verdict.status,
                host.clock.now_ms(),
            )
            .await?;
            tx.commit().await?;
        } else {
            db.query(
                "UPDATE refunds SET provider_refund_id = COALESCE(provider_refund_id, ?2) WHERE id = ?1",
                params![id.as_str(), &verdict.id],
            )
            .await?;
        }
    }
    load(&mut host.db.auto(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("refund").into())
}
