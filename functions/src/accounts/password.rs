//! Password hashing: argon2id with the crate's default (OWASP) parameters,
//! PHC strings in the database. Hashing costs tens of milliseconds of CPU on
//! purpose, so it runs on the host's [`Cpu`] ([`hash`], [`verify`]),
//! never on the executor that serves everyone else's requests.

use anyhow::anyhow;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use comptoir_shared::ApiError;

use crate::error::{AppError, AppResult};
use crate::port::{Cpu, Overloaded, offload};

/// Hashes `password` with a fresh random salt.
fn hash_now(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&uuid::Uuid::new_v4().into_bytes())
        .map_err(|e| anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches the stored `phc` hash (constant time inside argon2).
fn verify_now(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Hashes `password` with a fresh random salt, on the host's CPU pool.
pub async fn hash(cpu: &dyn Cpu, password: &str) -> AppResult<String> {
    let password = password.to_owned();
    offload(cpu, move || hash_now(&password))
        .await
        .map_err(busy)?
        .map_err(AppError::from)
}

/// Whether `password` matches the stored `phc` hash, worked out on the
/// host's CPU pool (constant time inside argon2).
pub async fn verify(cpu: &dyn Cpu, password: &str, phc: &str) -> AppResult<bool> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    offload(cpu, move || verify_now(&password, &phc))
        .await
        .map_err(busy)
}

/// A full CPU pool asks the client to come back in a second; anything else
/// is an internal failure.
fn busy(e: anyhow::Error) -> AppError {
    if e.is::<Overloaded>() {
        AppError::Api(ApiError::TooManyAttempts {
            retry_after_seconds: 1,
        })
    } else {
        AppError::Internal(e)
    }
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
        let phc = hash_now("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_now("correct horse battery", &phc));
        assert!(!verify_now("correct horse batterz", &phc));
        assert!(!verify_now("anything", decoy()));
        assert!(
            PasswordHash::new(decoy()).is_ok(),
            "the decoy must cost a real verification"
        );
        assert!(!verify_now("anything", "not a hash"));
    }
}
