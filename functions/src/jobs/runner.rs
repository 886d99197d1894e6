//! The job runner: every periodic duty once, each under its own lease.

use std::future::Future;

use anyhow::Context as _;
use comptoir_shared::jobs::{Duty, DutyOutcome, DutyReport, JobsReport};

use crate::outbox::Mailer;
use crate::params;
use crate::port::{Host, new_id};

use super::{lease, mail_api::MailApi};

/// How long a caller holds a duty's lease at most: longer than a pass takes
/// (50 items, provider calls with a 20 s timeout are the slowest), short
/// enough that a caller that died is replaced soon. Released when done.
const LEASE_MS: i64 = 120_000;

/// Committed refunds are left this long to the request that committed them
/// (it sends them itself right after its commit when it can).
const REFUND_GRACE_MS: i64 = 1_000;

/// Items one pass handles per duty; the rest wait for the next call.
const BATCH: u32 = 50;

/// Runs every duty once, delivering the outbox through the configured mail
/// API (`mail_api_base`) if there is one: what `POST /api/jobs/run` does.
pub async fn run_due(host: &Host) -> anyhow::Result<JobsReport> {
    let mailer = MailApi::configured(host);
    run_with(host, mailer.as_ref().map(|m| m as &dyn Mailer)).await
}

/// Runs every duty once, delivering the outbox through `mailer` (none:
/// notifications stay unsent, for staff to read). First brings the schema up
/// to date (one indexed read when it is); fails only if that fails. A
/// duty's own failure is logged and reported, and the others still run.
pub async fn run_with(host: &Host, mailer: Option<&dyn Mailer>) -> anyhow::Result<JobsReport> {
    crate::migrate::ensure(host.db.as_ref(), &host.config, host.clock.now_ms())
        .await
        .context("bringing the schema up to date")?;
    let holder = new_id().to_string();
    let holder = holder.as_str();
    let mut duties = Vec::with_capacity(8);

    duties.push(
        guarded(host, Duty::Reservations, holder, || async {
            let released =
                crate::orders::settle_expired(host.db.as_ref(), host.clock.now_ms()).await?;
            Ok((released, 0))
        })
        .await,
    );
    duties.push(
        guarded(host, Duty::Refunds, holder, || {
            crate::payments::refund::execute_stale(host, REFUND_GRACE_MS, BATCH)
        })
        .await,
    );
    duties.push(
        guarded(host, Duty::PaymentSessions, holder, || {
            crate::payments::expire_due(host, i64::from(BATCH))
        })
        .await,
    );
    duties.push(match mailer {
        None => DutyReport {
            duty: Duty::Outbox,
            outcome: DutyOutcome::Off,
            done: 0,
            failed: 0,
        },
        Some(mailer) => {
            guarded(host, Duty::Outbox, holder, || {
                crate::outbox::deliver_due(host.db.as_ref(), mailer, host.clock.now_ms(), BATCH)
            })
            .await
        }
    });
    duties.push(
        guarded(host, Duty::Housekeeping, holder, || async {
            Ok((housekeeping(host).await?, 0))
        })
        .await,
    );
    duties.push(
        guarded(host, Duty::Automation, holder, || async {
            crate::automation::run(host).await
        })
        .await,
    );
    duties.push(
        if host.config.payment_provider == crate::config::PaymentProvider::Sandbox {
            guarded(host, Duty::Payouts, holder, || async {
                let paid = crate::payments::payouts::daily_sandbox_payout(host).await?;
                Ok((u32::from(paid), 0))
            })
            .await
        } else {
            DutyReport {
                duty: Duty::Payouts,
                outcome: DutyOutcome::Off,
                done: 0,
                failed: 0,
            }
        },
    );
    duties.push(
        guarded(host, Duty::Audience, holder, || async {
            Ok((crate::audience::rollup::run(host).await?, 0))
        })
        .await,
    );
    Ok(JobsReport {
        schema: crate::migrate::latest(),
        duties,
    })
}

fn lease_name(duty: Duty) -> &'static str {
    match duty {
        Duty::Reservations => "reservations",
        Duty::Refunds => "refunds",
        Duty::PaymentSessions => "payment_sessions",
        Duty::Outbox => "outbox",
        Duty::Housekeeping => "housekeeping",
        Duty::Payouts => "payouts",
        Duty::Automation => "automation",
        Duty::Audience => "audience",
    }
}

/// Runs `work` (answering `(done, failed)`) if `holder` gets `duty`'s lease.
async fn guarded<F, Fut>(host: &Host, duty: Duty, holder: &str, work: F) -> DutyReport
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = anyhow::Result<(u32, u32)>>,
{
    let report = |outcome, done, failed| DutyReport {
        duty,
        outcome,
        done,
        failed,
    };
    let name = lease_name(duty);
    let db = host.db.as_ref();
    match lease::acquire(db, name, holder, host.clock.now_ms(), LEASE_MS).await {
        Ok(true) => {}
        Ok(false) => return report(DutyOutcome::Skipped, 0, 0),
        Err(e) => {
            tracing::error!(duty = name, error = format!("{e:#}"), "taking the lease");
            return report(DutyOutcome::Failed, 0, 0);
        }
    }
    let outcome = work().await;
    if let Err(e) = lease::release(db, name, holder).await {
        // It lapses on its own.
        tracing::warn!(duty = name, error = format!("{e:#}"), "releasing the lease");
    }
    match outcome {
        Ok((done, failed)) => {
            if done > 0 || failed > 0 {
                tracing::info!(duty = name, done, failed, "job duty");
            }
            report(DutyOutcome::Ran, done, failed)
        }
        Err(e) => {
            tracing::error!(duty = name, error = format!("{e:#}"), "job duty failed");
            report(DutyOutcome::Failed, 0, 0)
        }
    }
}

/// Deletes expired sign-in sessions (refused already; this keeps the table
/// small) and forgotten sign-in throttle counters; answers how many rows.
async fn housekeeping(host: &Host) -> anyhow::Result<u32> {
    let now = host.clock.now_ms();
    let sessions = host
        .db
        .query(
            "DELETE FROM sessions WHERE expires_at <= ?1 RETURNING token_hash",
            params![now],
        )
        .await?;
    let counters = crate::accounts::throttle::prune(&mut host.db.auto(), now).await?;
    Ok(u32::try_from(sessions.len())
        .unwrap_or(u32::MAX)
        .saturating_add(counters))
}
