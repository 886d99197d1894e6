//! The visitor key: SHA-256 over the day's salt, the client address and the
//! user agent, truncated to 128 bits. The salt is random, one per UTC day,
//! stored in `audience_salts`; the day's first event creates it and deletes
//! the older ones (the roll-up does too), so once a day is over nobody —
//! the shop included — can recompute its keys from an address. A host that
//! outlives its requests keeps the day's salt in memory
//! ([`crate::port::DaySecret`]), so an event costs no read of the store.

use comptoir_shared::calendar::day_of;
use sha2::{Digest, Sha256};

use crate::params;
use crate::port::{Database, Host, new_id};

/// The salt of the UTC day of `now_ms`, created if it is the day's first.
pub async fn today(host: &Host, now_ms: i64) -> anyhow::Result<String> {
    let day = day_of(now_ms);
    if let Some(salt) = host.day_secret.get(day) {
        return Ok(salt);
    }
    let salt = stored(host.db.as_ref(), day).await?;
    host.day_secret.set(day, salt.clone());
    Ok(salt)
}

/// The salt of `day` in the store, created if it has none.
async fn stored(db: &dyn Database, day: i64) -> anyhow::Result<String> {
    let read = "SELECT salt FROM audience_salts WHERE day = ?1";
    if let Some(row) = db.query(read, params![day]).await?.first() {
        return Ok(row.text(0)?.to_owned());
    }
    let fresh = format!("{}{}", new_id(), new_id());
    db.query(
        "INSERT INTO audience_salts (day, salt) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING",
        params![day, fresh],
    )
    .await?;
    forget_before(db, day).await?;
    // Another request may have created it first: its salt wins.
    let row = db.query(read, params![day]).await?;
    Ok(row
        .first()
        .ok_or_else(|| anyhow::anyhow!("no audience salt for day {day}"))?
        .text(0)?
        .to_owned())
}

/// Deletes the salts of the days before `day`.
pub async fn forget_before(db: &dyn Database, day: i64) -> anyhow::Result<()> {
    db.query("DELETE FROM audience_salts WHERE day < ?1", params![day])
        .await
        .map(drop)
}

/// The visitor key of a client address (none when the host gave none) and
/// user agent under `salt`: 32 hex digits.
pub fn visitor_key(salt: &str, address: Option<std::net::IpAddr>, user_agent: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(salt.as_bytes());
    hash.update([0]);
    hash.update(
        address
            .map(|a| a.to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    hash.update([0]);
    hash.update(user_agent.as_bytes());
    hex::encode(&hash.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_salt_the_address_and_the_user_agent() {
        let ip = "192.0.2.1".parse().ok();
        let key = visitor_key("s1", ip, "ua");
        assert_eq!(key.len(), 32);
        assert_eq!(key, visitor_key("s1", ip, "ua"));
        assert_ne!(key, visitor_key("s2", ip, "ua"));
        assert_ne!(key, visitor_key("s1", "192.0.2.2".parse().ok(), "ua"));
        assert_ne!(key, visitor_key("s1", ip, "ua2"));
    }
}
