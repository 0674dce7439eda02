//! Password hashing with Argon2id (OWASP parameters: 19 MiB, t=2, p=1), always off the
//! async threads.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::ctx::internal;
use crate::error::AppError;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(internal)
    })
    .await
    .map_err(internal)?
}

/// Verifies `password` against a stored hash. With `None` it still spends the same work,
/// so timing does not tell whether an account exists.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(internal)?;
        Ok(hasher().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(internal)?
}

/// Argon2id hash of a random string, used when the email is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3mGkM1tMkH2bEo9o2y9BQ0eYvOEn2bH4aW1ZlD+Wm0Y";

/// The rules for a new password, in words.
pub fn check_rules(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < 10 {
        Err(format!("Use at least 10 characters ({n} so far)."))
    } else if n > 1024 {
        Err("Use at most 1024 characters.".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_and_uses_owasp_parameters() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery".into(), Some(h.clone())).await.unwrap());
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }

    #[test]
    fn password_rules() {
        assert_eq!(check_rules("short"), Err("Use at least 10 characters (5 so far).".into()));
        assert!(check_rules("0123456789").is_ok());
        assert!(check_rules(&"x".repeat(1025)).is_err());
    }
}
