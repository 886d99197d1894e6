//! Leases: at most one holder of a named duty at a time, across every
//! instance on the store. A lease is a row of `job_leases` taken with one
//! conditional upsert — inserted when absent, taken over only once it has
//! lapsed — so two callers racing for it cannot both get a row back on
//! SQLite (one writer at a time) nor on Postgres (the conflicting insert
//! waits for the other and re-checks the condition on the committed row).
//!
//! A lease only stops double *work*; every duty is also safe without it
//! (each item is claimed by a conditional update before it is acted on).

use crate::params;
use crate::port::Database;

/// Takes lease `name` for `holder` until `now_ms + ttl_ms` if nobody holds
/// it (or its holder's time is up); answers whether `holder` has it.
pub async fn acquire(
    db: &dyn Database,
    name: &str,
    holder: &str,
    now_ms: i64,
    ttl_ms: i64,
) -> anyhow::Result<bool> {
    let taken = db
        .query(
            "INSERT INTO job_leases (name, holder, expires_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE job_leases.expires_at <= ?4 RETURNING holder",
            params![name, holder, now_ms + ttl_ms, now_ms],
        )
        .await?;
    Ok(taken
        .first()
        .and_then(|row| row.text(0).ok())
        .is_some_and(|h| h == holder))
}

/// Gives lease `name` back if `holder` still has it (a holder whose lease
/// lapsed and was taken over releases nothing).
pub async fn release(db: &dyn Database, name: &str, holder: &str) -> anyhow::Result<()> {
    db.query(
        "DELETE FROM job_leases WHERE name = ?1 AND holder = ?2",
        params![name, holder],
    )
    .await?;
    Ok(())
}
