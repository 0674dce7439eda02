//! Per-provider concurrency and requests-per-second, shared by every server instance
//! through PostgreSQL (not divided per process): a call holds one of the provider's
//! slot rows for its duration, and reserves the next free instant of its pace.

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

/// One provider's limits. `concurrency == 0` or `rps == 0.0` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub concurrency: u32,
    pub rps: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub llm: Limit,
    pub search: Limit,
    pub fetch: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            llm: Limit { concurrency: 8, rps: 0.0 },
            search: Limit { concurrency: 4, rps: 5.0 },
            fetch: Limit { concurrency: 8, rps: 0.0 },
        }
    }
}

/// A held slot; give it back with [`Permit::release`]. Its lease is renewed while the
/// call runs, so a slot held by an instance that died comes back within seconds.
pub struct Permit {
    provider: &'static str,
    slot: Option<(i32, Uuid)>,
    renew: Option<tokio::task::JoinHandle<()>>,
}

/// How long a slot stays held without renewal (renewed every third of it).
const SLOT_LEASE_SECS: f64 = 15.0;

/// Creates exactly `limit.concurrency` slots for `provider` (run at start-up; the last
/// instance to start sets the shared number). An instance configured as unlimited (0)
/// leaves the slots alone: deleting them would stall instances that do use them.
pub async fn configure(pool: &PgPool, provider: &str, limit: &Limit) -> Result<(), sqlx::Error> {
    let n = limit.concurrency as i32;
    if n == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO provider_slots (provider, slot) SELECT $1, g FROM generate_series(0, $2 - 1) g
         ON CONFLICT DO NOTHING",
    )
    .bind(provider)
    .bind(n)
    .execute(pool)
    .await?;
    sqlx::query("DELETE FROM provider_slots WHERE provider = $1 AND slot >= $2")
        .bind(provider)
        .bind(n)
        .execute(pool)
        .await?;
    Ok(())
}

/// Waits for a free slot and the provider's next pace instant.
pub async fn acquire(pool: &PgPool, provider: &'static str, limit: &Limit) -> Result<Permit, sqlx::Error> {
    let mut permit = Permit { provider, slot: None, renew: None };
    if limit.concurrency > 0 {
        let holder = Uuid::new_v4();
        let mut wait = Duration::from_millis(5);
        loop {
            let slot: Option<i32> = sqlx::query_scalar(
                "UPDATE provider_slots SET holder = $2, lease_until = now() + make_interval(secs => $3)
                  WHERE (provider, slot) = (
                        SELECT provider, slot FROM provider_slots
                         WHERE provider = $1 AND (holder IS NULL OR lease_until < now())
                         ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
                 RETURNING slot",
            )
            .bind(provider)
            .bind(holder)
            .bind(SLOT_LEASE_SECS)
            .fetch_optional(pool)
            .await?;
            if let Some(slot) = slot {
                permit.slot = Some((slot, holder));
                permit.renew = Some(tokio::spawn(renew(pool.clone(), provider, slot, holder)));
                break;
            }
            // All slots busy: back off a little (jittered so waiters do not stampede).
            tokio::time::sleep(wait.mul_f64(0.5 + rand::random::<f64>())).await;
            wait = (wait * 2).min(Duration::from_millis(200));
        }
    }
    if limit.rps > 0.0 {
        let gap = 1.0 / limit.rps;
        let wait: f64 = sqlx::query_scalar(
            "INSERT INTO provider_pace (provider, next_at) VALUES ($1, now() + make_interval(secs => $2))
             ON CONFLICT (provider) DO UPDATE
                SET next_at = greatest(provider_pace.next_at, now()) + make_interval(secs => $2)
             RETURNING extract(epoch FROM (next_at - now()))::float8 - $2",
        )
        .bind(provider)
        .bind(gap)
        .fetch_one(pool)
        .await?;
        if wait > 0.0 {
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        }
    }
    Ok(permit)
}

async fn renew(pool: PgPool, provider: &'static str, slot: i32, holder: Uuid) {
    loop {
        tokio::time::sleep(Duration::from_secs_f64(SLOT_LEASE_SECS / 3.0)).await;
        let _ = sqlx::query(
            "UPDATE provider_slots SET lease_until = now() + make_interval(secs => $4)
              WHERE provider = $1 AND slot = $2 AND holder = $3",
        )
        .bind(provider)
        .bind(slot)
        .bind(holder)
        .bind(SLOT_LEASE_SECS)
        .execute(&pool)
        .await;
    }
}

/// A permit dropped without `release` (its call was cancelled or panicked) stops renewing,
/// so its slot frees itself within one lease instead of being held until the process ends.
impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(renew) = self.renew.take() {
            renew.abort();
        }
    }
}

impl Permit {
    pub async fn release(mut self, pool: &PgPool) {
        if let Some(renew) = self.renew.take() {
            renew.abort();
        }
        if let Some((slot, holder)) = self.slot.take() {
            let done = sqlx::query(
                "UPDATE provider_slots SET holder = NULL, lease_until = NULL
                  WHERE provider = $1 AND slot = $2 AND holder = $3",
            )
            .bind(self.provider)
            .bind(slot)
            .bind(holder)
            .execute(pool)
            .await;
            if let Err(e) = done {
                tracing::warn!(provider = self.provider, error = %e, "could not release a provider slot; its lease will free it");
            }
        }
    }
}
