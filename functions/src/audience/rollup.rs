//! The roll-up, a duty of the job runner: raw events → hourly aggregates,
//! then the deletions that bound what is kept.
//!
//! Each hour with raw events after the last closed hour is recomputed whole
//! in one transaction — its aggregate rows deleted and written again from
//! its raw events (and the 30 minutes before it, which decide visits and
//! reloads) — so running it twice, or from two runners, never counts twice.
//! An hour is closed (marked in `audience_closed_hours`, in the same
//! transaction) once it ended [`CLOSE_AFTER_MS`] ago; a closed hour is never
//! recomputed. The hour under way is rolled on every pass (every 2 s on the
//! native host), so the dashboard, which reads only aggregates, lags by a
//! pass, not by an hour.

use comptoir_shared::audience::{
    AGGREGATE_RETENTION_MS, Device, EventKind, HOUR_MS, RAW_RETENTION_MS, RawEvent, VISIT_GAP_MS,
    tally,
};
use comptoir_shared::calendar::day_of;

use crate::params;
use crate::port::{Database, Host};

/// How long after its end an hour may still receive events (a batch the
/// native host's writer has not written yet): then it is closed.
pub const CLOSE_AFTER_MS: i64 = 60_000;

/// Hours rolled per pass at most; the rest wait for the next pass.
const HOURS_PER_PASS: i64 = 48;

/// Writes what the appender holds, rolls up the open hours, deletes raw
/// events older than [`RAW_RETENTION_MS`], aggregates older than
/// [`AGGREGATE_RETENTION_MS`] and salts of past days; answers how many hours
/// it rolled.
pub async fn run(host: &Host) -> anyhow::Result<u32> {
    host.appender.flush().await?;
    let now = host.clock.now_ms();
    let db = host.db.as_ref();
    let after = db
        .query("SELECT MAX(hour) FROM audience_closed_hours", &[])
        .await?
        .first()
        .map(|r| r.opt_int(0))
        .transpose()?
        .flatten()
        .unwrap_or(i64::MIN);
    let hours = db
        .query(
            "SELECT DISTINCT hour FROM audience_events WHERE hour > ?1 ORDER BY hour LIMIT ?2",
            params![after, HOURS_PER_PASS],
        )
        .await?;
    let mut rolled = 0;
    for row in hours {
        roll_hour(db, row.int(0)?, now).await?;
        rolled += 1;
    }
    prune(db, now).await?;
    Ok(rolled)
}

/// Recomputes the aggregates of the hour starting at `hour`, and closes it
/// if it is over. The raw events are read and counted before the write
/// transaction, so the store's write lock is held only to replace the
/// hour's few aggregate rows (an hour over has all its events written: the
/// appender was flushed, and a request's event is timed when it arrives).
async fn roll_hour(db: &dyn Database, hour: i64, now: i64) -> anyhow::Result<()> {
    let mut events = db
        .query(
            "SELECT visitor, at_ms, kind, path, source, device FROM audience_events \
             WHERE at_ms >= ?1 AND at_ms < ?2",
            params![hour - VISIT_GAP_MS, hour + HOUR_MS],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(RawEvent {
                visitor: r.text(0)?.to_owned(),
                at_ms: r.int(1)?,
                kind: r.parse(2, EventKind::parse)?,
                path: r.text(3)?.to_owned(),
                source: r.text(4)?.to_owned(),
                device: r.parse(5, Device::parse)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let tallies = tally(&mut events, hour, hour + HOUR_MS);
    let mut tx = db.begin().await?;
    tx.query("DELETE FROM audience_hourly WHERE hour = ?1", params![hour])
        .await?;
    for t in tallies {
        tx.query(
            "INSERT INTO audience_hourly (hour, step, source, device, count, visitors) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                hour,
                t.step.as_str(),
                t.source,
                t.device.as_str(),
                t.count,
                t.visitors
            ],
        )
        .await?;
    }
    if hour + HOUR_MS + CLOSE_AFTER_MS <= now {
        tx.query(
            "INSERT INTO audience_closed_hours (hour) VALUES (?1) ON CONFLICT (hour) DO NOTHING",
            params![hour],
        )
        .await?;
    }
    tx.commit().await
}

/// The deletions that bound what is kept.
async fn prune(db: &dyn Database, now: i64) -> anyhow::Result<()> {
    db.query(
        "DELETE FROM audience_events WHERE at_ms < ?1",
        params![now - RAW_RETENTION_MS],
    )
    .await?;
    db.query(
        "DELETE FROM audience_hourly WHERE hour < ?1",
        params![now - AGGREGATE_RETENTION_MS],
    )
    .await?;
    // The marks matter only while raw events of their hours could remain.
    db.query(
        "DELETE FROM audience_closed_hours WHERE hour < ?1",
        params![now - RAW_RETENTION_MS - HOUR_MS],
    )
    .await?;
    super::salt::forget_before(db, day_of(now)).await
}
