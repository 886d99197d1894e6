//! Audience: the storefront funnel measured without cookies, on
//! pseudonymised raw events (re-identification impossible once the day's
//! salt is deleted; kept about two hours, 7 days at most) rolled up into anonymous hourly
//! aggregates (kept at most 13 months); the storefront honours DNT, GPC and
//! its privacy page's opt-out (the rules are [`comptoir_shared::audience`]).
//!
//! - [`ingest`]: `POST /api/events`, the beacon (served by the `kpis`
//!   function); it appends one raw event keyed by a salted hash
//!   ([`salt`]) through the host's [`crate::port::Appender`].
//! - [`rollup`]: the job runner's duty that turns the raw events into hourly
//!   aggregates, and deletes what is kept no longer.
//! - [`aggregates`]: what the dashboard reads (never the raw rows).

pub mod ingest;
pub mod rollup;
pub mod salt;

use comptoir_shared::audience::{Device, Step};

use crate::params;
use crate::port::Executor;

/// The hourly aggregates of the hours that start in `[from, to)`, summed
/// per step, source and device: `(step, source, device, count)`.
pub async fn aggregates(
    db: &mut dyn Executor,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<(Step, String, Device, i64)>> {
    db.query(
        "SELECT step, source, device, SUM(count) FROM audience_hourly \
         WHERE hour >= ?1 AND hour < ?2 GROUP BY step, source, device",
        params![from, to],
    )
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.parse(0, Step::parse)?,
            r.text(1)?.to_owned(),
            r.parse(2, Device::parse)?,
            r.int(3)?,
        ))
    })
    .collect()
}
