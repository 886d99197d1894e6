//! `Stripe-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`,
//! possibly several `v1` (secret rotation). Verified in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How old a signed event may be, in seconds.
pub const TOLERANCE_SECONDS: i64 = 300;

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// No `t=` or no `v1=`, or not parseable.
    Malformed,
    /// Outside the tolerance window.
    Stale,
    /// No `v1` matches.
    Mismatch,
}

fn mac(secret: &str, timestamp: i64, payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// The header value signing `payload` at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    let tag = mac(secret, timestamp, payload).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(tag))
}

/// Checks `header` against `payload` at `now` (unix seconds).
pub fn verify(header: &str, payload: &[u8], secret: &str, now: i64) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => {
                timestamp = Some(t.parse::<i64>().map_err(|_| SignatureError::Malformed)?)
            }
            Some(("v1", sig)) => candidates.push(sig),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if now.abs_diff(timestamp) > TOLERANCE_SECONDS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let expected = mac(secret, timestamp, payload);
    let matched = candidates.iter().any(|sig| {
        hex::decode(sig).is_ok_and(|bytes| expected.clone().verify_slice(&bytes).is_ok())
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";

    #[test]
    fn a_signature_verifies_and_tampering_does_not() {
        let header = sign(SECRET, 1_000, b"{}");
        assert_eq!(verify(&header, b"{}", SECRET, 1_000), Ok(()));
        assert_eq!(
            verify(&header, b"{ }", SECRET, 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header, b"{}", "whsec_other", 1_000),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn any_v1_may_match_and_stale_is_refused() {
        let good = sign(SECRET, 1_000, b"x");
        let v1 = good.split_once(",v1=").unwrap().1;
        let header = format!("t=1000,v1=00ff,v0=abc,v1={v1}");
        assert_eq!(verify(&header, b"x", SECRET, 1_200), Ok(()));
        assert_eq!(
            verify(&header, b"x", SECRET, 1_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify("v1=00", b"x", SECRET, 1_000),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify("t=1000", b"x", SECRET, 1_000),
            Err(SignatureError::Malformed)
        );
    }
}
