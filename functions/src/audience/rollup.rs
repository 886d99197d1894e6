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
//! native host) while it is small, and once it holds [`BUSY_HOUR_EVENTS`]
//! raw events at most every [`BUSY_HOUR_EVERY_MS`] (`audience_open_rolls`),
//! so a busy hour is re-read once a minute, not on every pass: the dashboard,
//! which reads only aggregates, lags by a pass — or a minute on a busy
//! hour — never by an hour.

use comptoir_shared::audience::{
    AGGREGATE_RETENTION_MS, Device, EventKind, HOUR_MS, RAW_RETENTION_MS, RawEvent, VISIT_GAP_MS,
    tally,
};
use comptoir_shared::calendar::day_of;

use crate::params;
use crate::port::{Database, Executor as _, Host};

/// How long after its end an hour may still receive events (a batch the
/// native host's writer has not written yet): then it is closed.
pub const CLOSE_AFTER_MS: i64 = 60_000;

/// Hours rolled per pass at most; the rest wait for the next pass.
const HOURS_PER_PASS: i64 = 48;

/// Raw events from which the hour under way counts as busy.
const BUSY_HOUR_EVENTS: i64 = 10_000;

/// How often a busy hour under way is rolled up at most.
const BUSY_HOUR_EVERY_MS: i64 = 60_000;

/// Writes what the appender holds, rolls up the open hours, deletes raw
/// events no longer needed ([`prune`]), aggregates older than
/// [`AGGREGATE_RETENTION_MS`] and salts of past days; answers how many hours
/// it rolled.
pub async fn run(host: &Host) -> anyhow::Result<u32> {
    host.appender.flush().await?;
    let now = host.clock.now_ms();
    let db = host.db.as_ref();
    let after = newest_closed(db).await?.unwrap_or(i64::MIN);
    // Hour by hour through the index (`DISTINCT` would walk every event of
    // a busy hour on each pass).
    let mut rolled = 0;
    let mut previous = after;
    for _ in 0..HOURS_PER_PASS {
        let next = db
            .auto()
            .one(
                "SELECT MIN(hour) FROM audience_events WHERE hour > ?1",
                params![previous],
            )
            .await?
            .opt_int(0)?;
        let Some(hour) = next else { break };
        if due(db, hour, now).await? {
            roll_hour(db, hour, now).await?;
            rolled += 1;
        }
        previous = hour;
    }
    prune(db, now).await?;
    host.day_secret.forget_before(day_of(now));
    Ok(rolled)
}

/// The newest hour closed so far, if any (where the roll-up goes on, and
/// what decides which raw events are no longer needed).
async fn newest_closed(db: &dyn Database) -> anyhow::Result<Option<i64>> {
    db.auto()
        .one("SELECT MAX(hour) FROM audience_closed_hours", &[])
        .await?
        .opt_int(0)
}

/// Whether the hour starting at `hour` is to be rolled now: an hour over
/// always (it is closed by it); the hour under way unless it was busy when
/// last rolled less than [`BUSY_HOUR_EVERY_MS`] ago.
async fn due(db: &dyn Database, hour: i64, now: i64) -> anyhow::Result<bool> {
    if closes(hour, now) {
        return Ok(true);
    }
    let last = db
        .query(
            "SELECT rolled_ms, events FROM audience_open_rolls WHERE hour = ?1",
            params![hour],
        )
        .await?;
    Ok(match last.first() {
        None => true,
        Some(r) => r.int(1)? < BUSY_HOUR_EVENTS || now - r.int(0)? >= BUSY_HOUR_EVERY_MS,
    })
}

/// Whether the hour starting at `hour` is over long enough to be closed.
fn closes(hour: i64, now: i64) -> bool {
    hour + HOUR_MS + CLOSE_AFTER_MS <= now
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
    // The hour's own events (not the 30 minutes before it).
    let read = i64::try_from(events.iter().filter(|e| e.at_ms >= hour).count())?;
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
    if closes(hour, now) {
        tx.query(
            "INSERT INTO audience_closed_hours (hour) VALUES (?1) ON CONFLICT (hour) DO NOTHING",
            params![hour],
        )
        .await?;
        tx.query(
            "DELETE FROM audience_open_rolls WHERE hour = ?1",
            params![hour],
        )
        .await?;
    } else {
        tx.query(
            "INSERT INTO audience_open_rolls (hour, rolled_ms, events) VALUES (?1, ?2, ?3) \
             ON CONFLICT (hour) DO UPDATE SET rolled_ms = excluded.rolled_ms, events = excluded.events",
            params![hour, now, read],
        )
        .await?;
    }
    tx.commit().await
}

/// Raw events deleted per statement at most, by time: a busy hour's
/// events go in slices, so no single delete holds the write lock long.
const DELETE_SLICE_MS: i64 = 10_000;

/// Slices deleted per pass at most (the rest on the next passes).
const SLICES_PER_PASS: u32 = 30;

/// The deletions that bound what is kept. A raw event is needed until its
/// hour is closed and, as the 30 minutes before the next hour, until that
/// hour is closed too — or is over without events. So the events of hours
/// before the newest closed one go, and that one's too once the hour after
/// it is over and had none: raw events live about two hours. Whatever the
/// roll-up could not reach goes after [`RAW_RETENTION_MS`].
async fn prune(db: &dyn Database, now: i64) -> anyhow::Result<()> {
    let newest = newest_closed(db).await?;
    let mut before = now - RAW_RETENTION_MS;
    if let Some(newest) = newest {
        let next = newest + HOUR_MS;
        let next_is_empty = closes(next, now)
            && db
                .query(
                    "SELECT 1 FROM audience_events WHERE hour = ?1 LIMIT 1",
                    params![next],
                )
                .await?
                .is_empty();
        before = before.max(if next_is_empty { next } else { newest });
    }
    // Everything received before `before` (an hour's start but for the
    // fallback), a slice of time at a time, through the time index.
    for _ in 0..SLICES_PER_PASS {
        let oldest = db
            .auto()
            .one(
                "SELECT MIN(at_ms) FROM audience_events WHERE at_ms < ?1",
                params![before],
            )
            .await?
            .opt_int(0)?;
        let Some(oldest) = oldest else { break };
        db.query(
            "DELETE FROM audience_events WHERE at_ms < ?1",
            params![before.min(oldest + DELETE_SLICE_MS)],
        )
        .await?;
    }
    db.query(
        "DELETE FROM audience_hourly WHERE hour < ?1",
        params![now - AGGREGATE_RETENTION_MS],
    )
    .await?;
    // Only the newest mark is read (where the next pass starts).
    db.query(
        "DELETE FROM audience_closed_hours \
         WHERE hour < (SELECT MAX(hour) FROM audience_closed_hours)",
        &[],
    )
    .await?;
    super::salt::forget_before(db, day_of(now)).await
}
