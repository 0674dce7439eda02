//! Password hashing with Argon2id (OWASP parameters: 19 MiB, t=2, p=1), always off the
//! async threads, and at most one hash per core at a time: each one holds 19 MiB, so a
//! burst of sign-ins would otherwise use memory without bound (they queue instead).

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use super::ctx::internal;
use crate::error::AppError;

/// Hashes running at once in this process: the available parallelism, at least 2.
pub fn max_concurrent() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)
}

static PERMITS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(max_concurrent()));

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Runs `work` on the blocking pool once a permit is free.
async fn limited<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let permit = PERMITS.acquire().await.map_err(internal)?;
    let out = tokio::task::spawn_blocking(move || {
        #[cfg(test)]
        let _busy = tests::Busy::enter();
        work()
    })
    .await
    .map_err(internal);
    drop(permit);
    out
}

pub async fn hash(password: String) -> Result<String, AppError> {
    limited(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(internal)
    })
    .await?
}

/// Verifies `password` against a stored hash. With `None` it still spends the same work,
/// so timing does not tell whether an account exists.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    limited(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(internal)?;
        Ok(hasher().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await?
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
    use std::sync::atomic::{AtomicUsize, Ordering};

    static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// Counts hashes running on the blocking pool (tests only).
    pub(super) struct Busy;

    impl Busy {
        pub(super) fn enter() -> Busy {
            let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
            PEAK.fetch_max(now, Ordering::SeqCst);
            Busy
        }
    }

    impl Drop for Busy {
        fn drop(&mut self) {
            IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_hashes_are_capped_at_the_parallelism() {
        let cap = max_concurrent();
        assert!(cap >= 2);
        let stored = hash("correct horse battery".into()).await.unwrap();
        let n = cap * 3;
        let checks = (0..n).map(|i| {
            let stored = stored.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    verify("correct horse battery".into(), Some(stored)).await.map(|ok| ok.to_string())
                } else {
                    hash(format!("password number {i}")).await
                }
            })
        });
        let results = futures_join(checks.collect()).await;
        assert_eq!(results.len(), n);
        assert!(results.iter().step_by(2).all(|r| r == "true"), "{results:?}");
        let peak = PEAK.load(Ordering::SeqCst);
        assert!((1..=cap).contains(&peak), "{peak} hashes ran at once; the cap is {cap}");
    }

    async fn futures_join(handles: Vec<tokio::task::JoinHandle<Result<String, AppError>>>) -> Vec<String> {
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap().unwrap());
        }
        out
    }

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
