//! Sign-in throttling, kept in the database (`signin_throttle`) so it holds
//! across instances and under Spin, where nothing survives a request.
//!
//! Two counters of failed sign-ins, each forgotten after an hour without a
//! failure: one per **client address** (10 free, then a back-off doubling
//! from 1 s to 15 min) and one per **account** (5 free, same back-off). While
//! a counter's back-off runs, attempts are answered `too_many_attempts` (429)
//! with `Retry-After`, without a password check.
//!
//! The account counter *delays* guesses; it never locks the owner out: an
//! address with fewer than [`CLEAN_BELOW`] failures of its own passes it (the
//! right password from such an address gets in, a typo or two included). A
//! guesser therefore pays with their own address's back-off, and each new
//! address buys a couple of guesses at most while the account's back-off
//! runs — and those passes are counted too, per account ([`BYPASS`]), so a
//! guesser with very many addresses is slowed down as well (the owner then
//! waits at most the same back-off, never longer). An IPv6 client is counted
//! by its /64 network (one subscriber's), an IPv4-mapped address as IPv4.
//!
//! Sign-ups are counted per client address too ([`SIGNUP`]): each one costs
//! a password hash.
//!
//! Every attempt is counted as a failure **before** the password is checked
//! (in one transaction with the back-off check), and given back once it
//! succeeds, so a burst of concurrent guesses cannot all slip through before
//! the first failure is written. A success also clears the account counter.

use comptoir_shared::ApiError;
use comptoir_shared::ids::Email;
use std::net::IpAddr;

use crate::error::{AppError, AppResult};
use crate::params;
use crate::port::{Executor, Host};

/// How one counter throttles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures allowed before any wait.
    pub free: i64,
    /// The first wait, once the free failures are spent.
    pub first_wait_ms: i64,
    /// The longest wait.
    pub max_wait_ms: i64,
    /// A counter with no failure for this long starts again from zero.
    pub forget_after_ms: i64,
}

/// Per client address.
pub const CLIENT: Policy = Policy {
    free: 10,
    first_wait_ms: 1_000,
    max_wait_ms: 15 * 60_000,
    forget_after_ms: 60 * 60_000,
};

/// Per account.
pub const ACCOUNT: Policy = Policy {
    free: 5,
    first_wait_ms: 1_000,
    max_wait_ms: 15 * 60_000,
    forget_after_ms: 60 * 60_000,
};

/// Per account, the attempts of clean addresses while its back-off runs.
pub const BYPASS: Policy = Policy {
    free: 20,
    first_wait_ms: 1_000,
    max_wait_ms: 15 * 60_000,
    forget_after_ms: 60 * 60_000,
};

/// Per client address, sign-ups (successful or not).
pub const SIGNUP: Policy = Policy {
    free: 10,
    first_wait_ms: 60_000,
    max_wait_ms: 60 * 60_000,
    forget_after_ms: 60 * 60_000,
};

/// An address with fewer failures than this passes an account's back-off.
pub const CLEAN_BELOW: i64 = 3;

/// The longest any counter is remembered: older rows are pruned.
const FORGET_MS: i64 = 60 * 60_000;

/// The throttle key of a client: its IPv4 address, or its IPv6 /64.
fn client_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => format!("client:{v4}"),
        IpAddr::V6(v6) => match ipnet::Ipv6Net::new(v6, 64) {
            Ok(net) => format!("client:{}", net.trunc()),
            Err(_) => format!("client:{v6}"),
        },
    }
}

impl Policy {
    /// How long to wait after the `failures`-th failure.
    pub fn wait_ms(&self, failures: i64) -> i64 {
        let over = failures.saturating_sub(self.free);
        if over <= 0 {
            return 0;
        }
        // 1 s, 2 s, 4 s, … capped; the shift is bounded so it cannot overflow.
        let doublings = u32::try_from(over - 1).unwrap_or(u32::MAX).min(30);
        self.first_wait_ms
            .saturating_mul(1_i64 << doublings)
            .min(self.max_wait_ms)
    }
}

/// An attempt admitted by [`admit`]: what to give back when it succeeds.
#[derive(Debug, Clone)]
pub struct Attempt {
    account_key: String,
    client_key: Option<String>,
}

/// Counts an attempt against the account and the client address, or refuses
/// it with `too_many_attempts` while a back-off runs (nothing counted then).
pub async fn admit(host: &Host, email: &Email, client: Option<IpAddr>) -> AppResult<Attempt> {
    let now = host.clock.now_ms();
    let attempt = Attempt {
        account_key: format!("account:{email}"),
        client_key: client.map(client_key),
    };
    let mut tx = host.db.begin().await?;
    prune(tx.as_mut(), now).await?;
    let client_was_clean = match &attempt.client_key {
        Some(key) => match count(tx.as_mut(), key, &CLIENT, now, false).await? {
            Counted::Blocked(until) => return Err(wait(until, now)),
            Counted::Failures(n) => n <= CLEAN_BELOW,
        },
        // An unknown address is never presumed clean.
        None => false,
    };
    let account = &attempt.account_key;
    // Dropping the transaction on a refusal rolls every count back: no attempt happened.
    if let Counted::Blocked(until) = count(tx.as_mut(), account, &ACCOUNT, now, false).await? {
        if !client_was_clean {
            return Err(wait(until, now));
        }
        let bypass = format!("bypass:{}", email.as_str());
        if let Counted::Blocked(until) = count(tx.as_mut(), &bypass, &BYPASS, now, false).await? {
            return Err(wait(until, now));
        }
        count(tx.as_mut(), account, &ACCOUNT, now, true).await?;
    }
    tx.commit().await?;
    Ok(attempt)
}

/// Counts a sign-up from `client`, or refuses it while its back-off runs.
pub async fn admit_signup(host: &Host, client: Option<IpAddr>) -> AppResult<()> {
    let Some(client) = client else {
        return Ok(());
    };
    let now = host.clock.now_ms();
    let key = format!("signup:{}", client_key(client));
    let mut tx = host.db.begin().await?;
    if let Counted::Blocked(until) = count(tx.as_mut(), &key, &SIGNUP, now, false).await? {
        return Err(wait(until, now));
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets counters nobody failed on for [`FORGET_MS`] and no longer
/// blocking; answers how many. Each sign-in attempt runs it, and the job
/// runner's housekeeping (for a shop nobody signs in to for a while).
pub async fn prune(tx: &mut dyn Executor, now: i64) -> anyhow::Result<u32> {
    let gone = tx
        .query(
            "DELETE FROM signin_throttle WHERE last_failure_at < ?1 AND blocked_until < ?2 RETURNING key",
            params![now - FORGET_MS, now],
        )
        .await?;
    Ok(u32::try_from(gone.len()).unwrap_or(u32::MAX))
}

/// The attempt signed in: the account's counter is cleared and the client's
/// provisional failure given back.
pub async fn succeeded(host: &Host, attempt: &Attempt) -> anyhow::Result<()> {
    let mut tx = host.db.begin().await?;
    tx.query(
        "DELETE FROM signin_throttle WHERE key = ?1",
        params![attempt.account_key.as_str()],
    )
    .await?;
    if let Some(key) = &attempt.client_key
        && let Some(row) = tx
            .optional(
                "SELECT failures, last_failure_at FROM signin_throttle WHERE key = ?1",
                params![key.as_str()],
            )
            .await?
    {
        let failures = (row.int(0)? - 1).max(0);
        let blocked_until = row.int(1)?.saturating_add(CLIENT.wait_ms(failures));
        tx.query(
            "UPDATE signin_throttle SET failures = ?2, blocked_until = ?3 WHERE key = ?1",
            params![key.as_str(), failures, blocked_until],
        )
        .await?;
    }
    tx.commit().await
}

enum Counted {
    /// Counted; the counter now holds this many failures.
    Failures(i64),
    /// Refused: waiting until this instant (unix ms).
    Blocked(i64),
}

/// Adds one failure to `key` unless its back-off runs (or `ignore_block`),
/// and sets the back-off its new count earns. Atomic under concurrency: the
/// upsert takes the row's write lock, and the back-off is set in the same
/// transaction before any other attempt can read the row.
async fn count(
    tx: &mut dyn Executor,
    key: &str,
    policy: &Policy,
    now: i64,
    ignore_block: bool,
) -> anyhow::Result<Counted> {
    let counted = tx
        .optional(
            "INSERT INTO signin_throttle (key, failures, last_failure_at, blocked_until) VALUES (?1, 1, ?2, ?2) \
             ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN signin_throttle.last_failure_at <= ?3 THEN 1 ELSE signin_throttle.failures + 1 END, \
                 last_failure_at = ?2 \
             WHERE signin_throttle.blocked_until <= ?2 OR ?4 = 1 \
             RETURNING failures",
            params![key, now, now - policy.forget_after_ms, ignore_block],
        )
        .await?;
    let Some(row) = counted else {
        let until = tx
            .one(
                "SELECT blocked_until FROM signin_throttle WHERE key = ?1",
                params![key],
            )
            .await?
            .int(0)?;
        return Ok(Counted::Blocked(until));
    };
    let failures = row.int(0)?;
    tx.query(
        "UPDATE signin_throttle SET blocked_until = ?2 WHERE key = ?1",
        params![key, now.saturating_add(policy.wait_ms(failures))],
    )
    .await?;
    Ok(Counted::Failures(failures))
}

/// `too_many_attempts` until `until` (unix ms), in whole seconds rounded up.
fn wait(until: i64, now: i64) -> AppError {
    AppError::Api(ApiError::TooManyAttempts {
        retry_after_seconds: retry_after_seconds(until, now),
    })
}

fn retry_after_seconds(until: i64, now: i64) -> u32 {
    let seconds = (until.saturating_sub(now).max(0) + 999) / 1000;
    u32::try_from(seconds.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_starts_after_the_free_failures_and_doubles_to_a_cap() {
        let waits: Vec<i64> = (0..=12).map(|n| ACCOUNT.wait_ms(n)).collect();
        assert_eq!(
            waits,
            [
                0, 0, 0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000
            ]
        );
        assert_eq!(ACCOUNT.wait_ms(1_000), 15 * 60_000);
        assert_eq!(ACCOUNT.wait_ms(i64::MAX), 15 * 60_000);
        assert_eq!(CLIENT.wait_ms(10), 0);
        assert_eq!(CLIENT.wait_ms(11), 1_000);
        for policy in [CLIENT, ACCOUNT, BYPASS, SIGNUP] {
            assert!(
                policy.forget_after_ms <= FORGET_MS,
                "pruning keeps what counts"
            );
        }
    }

    #[test]
    fn clients_are_counted_by_ipv4_address_or_ipv6_network() {
        let key = |raw: &str| client_key(raw.parse().unwrap());
        assert_eq!(key("203.0.113.9"), "client:203.0.113.9");
        assert_eq!(key("::ffff:203.0.113.9"), "client:203.0.113.9");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "client:2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:bbbb::9"), key("2001:db8:1:2::1"));
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_seconds(10_001, 10_000), 1);
        assert_eq!(retry_after_seconds(12_500, 10_000), 3);
        assert_eq!(retry_after_seconds(9_000, 10_000), 1);
    }
}
