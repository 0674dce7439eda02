//! Slows, then refuses, repeated failed sign-ins per email and per client address.
//! Counts live in PostgreSQL so every server instance sees the same numbers.

use std::time::Duration;

use sqlx::PgPool;

use super::Settings;
use crate::error::AppError;

/// What to do with the next sign-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Let it through after this delay.
    Slow(Duration),
    Closed {
        retry_after_secs: u64,
    },
}

pub fn keys(email: &str, client: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("email:{email}")];
    if let Some(ip) = client {
        keys.push(format!("ip:{ip}"));
    }
    keys
}

/// Decides from the failures recorded for `keys` inside the window.
pub async fn gate(pool: &PgPool, settings: &Settings, keys: &[String]) -> Result<Gate, AppError> {
    let window = settings.login_window.as_secs_f64();
    // Per key: failures in the window, and seconds until the oldest of them leaves it.
    // An address (office NAT, VPN) is shared by many people: it gets four times the allowance.
    let rows: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT CASE WHEN key LIKE 'ip:%' THEN (count(*) + 3) / 4 ELSE count(*) END, EXTRACT(EPOCH FROM (min(failed_at) + make_interval(secs => $2) - now()))::float8
           FROM login_failures
          WHERE key = ANY($1) AND failed_at > now() - make_interval(secs => $2)
          GROUP BY key",
    )
    .bind(keys)
    .bind(window)
    .fetch_all(pool)
    .await?;
    Ok(decide(settings, &rows))
}

fn decide(settings: &Settings, rows: &[(i64, f64)]) -> Gate {
    let worst = rows.iter().map(|(n, _)| *n).max().unwrap_or(0) as u32;
    if worst >= settings.login_max_failures {
        let wait = rows
            .iter()
            .filter(|(n, _)| *n as u32 >= settings.login_max_failures)
            .map(|(_, secs)| secs.ceil().max(1.0) as u64)
            .max()
            .unwrap_or(1);
        Gate::Closed { retry_after_secs: wait }
    } else if worst >= settings.login_slow_after {
        // One more second per failure past the threshold, capped: slows guessing without
        // tying up a connection for long.
        let extra = (worst - settings.login_slow_after + 1).min(4);
        Gate::Slow(Duration::from_secs(extra as u64))
    } else {
        Gate::Open
    }
}

pub async fn record_failure(pool: &PgPool, keys: &[String]) -> Result<(), AppError> {
    sqlx::query("INSERT INTO login_failures (key) SELECT unnest($1::text[])")
        .bind(keys)
        .execute(pool)
        .await?;
    Ok(())
}

/// A successful sign-in clears the email's count (not the address's).
pub async fn clear(pool: &PgPool, email: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(format!("email:{email}"))
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn purge_old(pool: &PgPool, settings: &Settings) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1)")
        .bind(settings.login_window.as_secs_f64())
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
        assert_eq!(decide(&s, &[]), Gate::Open);
        assert_eq!(decide(&s, &[(2, 100.0)]), Gate::Open);
        assert_eq!(decide(&s, &[(3, 100.0)]), Gate::Slow(Duration::from_secs(1)));
        assert_eq!(decide(&s, &[(7, 100.0), (1, 5.0)]), Gate::Slow(Duration::from_secs(4)));
        assert_eq!(decide(&s, &[(8, 99.2), (2, 500.0)]), Gate::Closed { retry_after_secs: 100 });
    }
}
