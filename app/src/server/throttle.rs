//! Slows, then refuses, repeated attempts per key: failed sign-ins per email and per
//! client address, wrong current passwords per user, sign-ups per client address.
//! Counts live in PostgreSQL so every server instance sees the same numbers.
//!
//! An attempt is recorded *before* the password is checked, under a per-key lock taken
//! with the count: concurrent guesses are counted one after another, so a burst cannot
//! get more tries than the limit. A successful attempt is removed again.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

use super::Settings;
use crate::error::AppError;

/// The limits for one kind of attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Attempts are counted over this window.
    pub window: Duration,
    /// Attempts in the window after which each one is slowed down.
    pub slow_after: u32,
    /// Attempts in the window after which they are refused (429).
    pub max: u32,
}

impl Rule {
    pub fn login(s: &Settings) -> Rule {
        Rule { window: s.login_window, slow_after: s.login_slow_after, max: s.login_max_failures }
    }

    /// Outreach revisions by the configured model, per user: each is a paid call, so a
    /// script looping on "revise" is refused after 120 an hour (counted, not slowed).
    pub fn model_revisions() -> Rule {
        Rule { window: Duration::from_secs(3600), slow_after: 120, max: 120 }
    }

    /// Sign-ups are counted, not slowed: refused once the address made `max`.
    pub fn signup(s: &Settings) -> Rule {
        Rule { window: s.signup_window, slow_after: s.signup_max_per_address, max: s.signup_max_per_address }
    }
}

/// What to do with the next attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Let it through after this delay.
    Slow(Duration),
    Closed {
        retry_after_secs: u64,
    },
}

/// Keys of a sign-in: the email first (a success clears its count), then the address.
pub fn keys(email: &str, client: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("email:{email}")];
    if let Some(ip) = client {
        keys.push(format!("ip:{ip}"));
    }
    keys
}

/// One attempt: the gate it met and, unless refused, when it was recorded.
#[derive(Debug)]
pub struct Attempt {
    pub gate: Gate,
    keys: Vec<String>,
    recorded_at: Option<OffsetDateTime>,
}

impl Attempt {
    /// Waits out a slow gate; a closed one is the `Throttled` error.
    pub async fn admit(&self) -> Result<(), AppError> {
        match self.gate {
            Gate::Closed { retry_after_secs } => Err(AppError::Throttled { retry_after_secs }),
            Gate::Slow(delay) => {
                tokio::time::sleep(delay).await;
                Ok(())
            }
            Gate::Open => Ok(()),
        }
    }
}

/// Decides an attempt on `keys` from those recorded inside the window, and records it
/// unless refused — atomically per key (an advisory lock held until commit).
pub async fn attempt(pool: &PgPool, rule: &Rule, keys: &[String]) -> Result<Attempt, AppError> {
    let mut locked = keys.to_vec();
    locked.sort(); // one order for everyone: no deadlocks between overlapping key sets
    locked.dedup();
    let mut tx = pool.begin().await?;
    for key in &locked {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    let window = rule.window.as_secs_f64();
    // Per key: attempts in the window, and seconds until the oldest of them leaves it.
    // An address (office NAT, VPN) is shared by many people: it gets four times the allowance.
    let rows: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT CASE WHEN key LIKE 'ip:%' THEN (count(*) + 3) / 4 ELSE count(*) END, EXTRACT(EPOCH FROM (min(failed_at) + make_interval(secs => $2) - now()))::float8
           FROM login_failures
          WHERE key = ANY($1) AND failed_at > now() - make_interval(secs => $2)
          GROUP BY key",
    )
    .bind(&locked)
    .bind(window)
    .fetch_all(&mut *tx)
    .await?;
    let gate = decide(rule, &rows);
    let recorded_at = if matches!(gate, Gate::Closed { .. }) {
        None
    } else {
        let at: OffsetDateTime = sqlx::query_scalar(
            "WITH added AS (INSERT INTO login_failures (key) SELECT unnest($1::text[]) RETURNING failed_at)
             SELECT max(failed_at) FROM added",
        )
        .bind(&locked)
        .fetch_one(&mut *tx)
        .await?;
        Some(at)
    };
    tx.commit().await?;
    Ok(Attempt { gate, keys: keys.to_vec(), recorded_at })
}

fn decide(rule: &Rule, rows: &[(i64, f64)]) -> Gate {
    let worst = rows.iter().map(|(n, _)| *n).max().unwrap_or(0) as u32;
    if worst >= rule.max {
        let wait = rows
            .iter()
            .filter(|(n, _)| *n as u32 >= rule.max)
            .map(|(_, secs)| secs.ceil().max(1.0) as u64)
            .max()
            .unwrap_or(1);
        Gate::Closed { retry_after_secs: wait }
    } else if worst >= rule.slow_after {
        // One more second per failure past the threshold, capped: slows guessing without
        // tying up a connection for long.
        let extra = (worst - rule.slow_after + 1).min(4);
        Gate::Slow(Duration::from_secs(extra as u64))
    } else {
        Gate::Open
    }
}

/// The attempt succeeded: its first key's count is cleared (the email's, the user's), and
/// only this attempt is taken off the others (the address's).
pub async fn succeeded(pool: &PgPool, attempt: &Attempt) -> Result<(), AppError> {
    let (Some(first), Some(at)) = (attempt.keys.first(), attempt.recorded_at) else {
        return Ok(());
    };
    sqlx::query("DELETE FROM login_failures WHERE key = $1 OR (key = ANY($2) AND failed_at = $3)")
        .bind(first)
        .bind(&attempt.keys)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn purge_old(pool: &PgPool, settings: &Settings) -> Result<u64, AppError> {
    let longest = settings.login_window.max(settings.signup_window);
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1)")
        .bind(longest.as_secs_f64())
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_then_slow_then_closed() {
        let s = Settings::for_tests(); // slow after 3, closed at 8
        let r = Rule::login(&s);
        assert_eq!(decide(&r, &[]), Gate::Open);
        assert_eq!(decide(&r, &[(2, 100.0)]), Gate::Open);
        assert_eq!(decide(&r, &[(3, 100.0)]), Gate::Slow(Duration::from_secs(1)));
        assert_eq!(decide(&r, &[(7, 100.0), (1, 5.0)]), Gate::Slow(Duration::from_secs(4)));
        assert_eq!(decide(&r, &[(8, 99.2), (2, 500.0)]), Gate::Closed { retry_after_secs: 100 });
    }

    #[test]
    fn sign_ups_are_counted_not_slowed() {
        let mut s = Settings::for_tests();
        s.signup_max_per_address = 5;
        let r = Rule::signup(&s);
        assert_eq!(decide(&r, &[(4, 3000.0)]), Gate::Open);
        assert_eq!(decide(&r, &[(5, 3000.0)]), Gate::Closed { retry_after_secs: 3000 });
    }
}
