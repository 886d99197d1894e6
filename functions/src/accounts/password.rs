//! Password hashing: argon2id with the crate's default (OWASP) parameters,
//! PHC strings in the database.

use anyhow::anyhow;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&uuid::Uuid::new_v4().into_bytes())
        .map_err(|e| anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches the stored `phc` hash (constant time inside argon2).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the account does not exist, so a wrong
/// e-mail costs the same time as a wrong password.
pub fn decoy() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$EIqQ7FWfRcu2/vkGxFc2MQ$/pF+ggesd/hhTMsZYTh/a2p6ZTodIRHxTbPwOZXDUFI"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse batterz", &phc));
        assert!(!verify("anything", decoy()));
        assert!(
            PasswordHash::new(decoy()).is_ok(),
            "the decoy must cost a real verification"
        );
        assert!(!verify("anything", "not a hash"));
    }
}
