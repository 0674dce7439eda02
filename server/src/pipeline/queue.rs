//! The durable task queue in PostgreSQL: claim with `FOR UPDATE SKIP LOCKED`, count the
//! attempt at claim time, and finish only while holding the lease (`lease_token`).

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

/// A claimed task, valid while `lease_token` still matches its row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Task {
    pub id: i64,
    pub campaign_id: Uuid,
    pub company_id: i64,
    pub owner_id: Uuid,
    pub step: String,
    pub attempts: i32,
    pub max_attempts: i32,
    /// Rate-limit waits so far (they do not count as attempts; see [`MAX_DEFERRALS`]).
    pub deferrals: i32,
    pub lease_token: Uuid,
}

/// Rate-limit waits a task may take without using up attempts; after that each 429
/// counts as an attempt, so a provider that never stops refusing ends the row.
pub const MAX_DEFERRALS: i32 = 30;

impl Task {
    /// (campaign, owner): what campaign-level locks and checks key on.
    pub fn ids(&self) -> (Uuid, Uuid) {
        (self.campaign_id, self.owner_id)
    }
}

pub const STEPS: [&str; 5] = ["research", "score", "signals", "contacts", "outreach"];

/// The step after `step`, if any.
pub fn next_step(step: &str) -> Option<&'static str> {
    let i = STEPS.iter().position(|s| *s == step)?;
    STEPS.get(i + 1).copied()
}

/// Takes the next runnable task of a running campaign: queued and due, or running with
/// an expired lease (its worker died). Returns `None` when there is nothing to do.
///
/// Fair between users and campaigns: the owner with the fewest tasks in flight goes
/// first, then their campaign with the fewest (ties: the one started first). Within a
/// campaign, companies in import order and a company's steps in order: a company started
/// is finished first, so the table fills row by row.
pub async fn claim(pool: &PgPool, lease: Duration) -> Result<Option<Task>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE pipeline_tasks t
            SET status = 'running', attempts = t.attempts + 1, lease_token = $1,
                lease_until = now() + make_interval(secs => $2), updated_at = now()
          WHERE t.id = (
                SELECT q.id
                  FROM (SELECT c.id, c.started_at, b.busy, sum(b.busy) OVER (PARTITION BY c.owner_id) AS owner_busy
                          FROM campaigns c
                          CROSS JOIN LATERAL (
                                SELECT count(*) AS busy FROM pipeline_tasks r
                                 WHERE r.campaign_id = c.id AND r.status = 'running' AND r.lease_until >= now()) b
                         WHERE c.status = 'running' AND c.deleted_at IS NULL) c
                 CROSS JOIN LATERAL (
                       SELECT q.id FROM pipeline_tasks q
                        WHERE q.campaign_id = c.id AND q.status IN ('queued', 'running')
                          AND ((q.status = 'queued' AND q.run_after <= now())
                            OR (q.status = 'running' AND q.lease_until < now()))
                        ORDER BY q.company_id, q.id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED) q
                 ORDER BY c.owner_busy, c.busy, c.started_at NULLS LAST, c.id
                 LIMIT 1)
         RETURNING t.id, t.campaign_id, t.company_id, t.owner_id, t.step, t.attempts, t.max_attempts,
                   t.deferrals, t.lease_token",
    )
    .bind(Uuid::new_v4())
    .bind(lease.as_secs_f64())
    .fetch_optional(pool)
    .await
}

/// Extends the lease of a long step. `false` means the lease was lost: stop, write nothing.
pub async fn heartbeat(pool: &PgPool, task: &Task, lease: Duration) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE pipeline_tasks SET lease_until = now() + make_interval(secs => $3), updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND status = 'running'",
    )
    .bind(task.id)
    .bind(task.lease_token)
    .bind(lease.as_secs_f64())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the task done inside `tx` if we still hold its lease. `false`: lease lost, the
/// caller must roll back and write nothing.
pub async fn finish(tx: &mut sqlx::PgConnection, task: &Task) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE pipeline_tasks SET status = 'done', lease_token = NULL, lease_until = NULL, last_error = NULL,
                updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND status = 'running'",
    )
    .bind(task.id)
    .bind(task.lease_token)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Queues the next step of the same company (no-op when it exists already).
pub async fn enqueue(tx: &mut sqlx::PgConnection, task: &Task, step: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pipeline_tasks (campaign_id, company_id, owner_id, step) VALUES ($1, $2, $3, $4)
         ON CONFLICT (campaign_id, company_id, step) DO UPDATE
            SET status = 'queued', attempts = 0, deferrals = 0, run_after = now(), lease_token = NULL, last_error = NULL
          WHERE pipeline_tasks.status IN ('done', 'cancelled')",
    )
    .bind(task.campaign_id)
    .bind(task.company_id)
    .bind(task.owner_id)
    .bind(step)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Puts the task back for a later attempt (backoff), if we still hold its lease.
pub async fn retry_later(
    tx: &mut sqlx::PgConnection,
    task: &Task,
    after: Duration,
    error: &str,
) -> Result<bool, sqlx::Error> {
    requeue(tx, task, after, error, Requeue::Counted).await
}

/// Puts the task back without counting this attempt (a campaign paused for a provider
/// problem), if we still hold its lease.
pub async fn release(
    tx: &mut sqlx::PgConnection,
    task: &Task,
    after: Duration,
    note: &str,
) -> Result<bool, sqlx::Error> {
    requeue(tx, task, after, note, Requeue::Uncounted).await
}

/// Puts the task back until a rate limit has passed: not an attempt, but a deferral.
pub async fn defer(
    tx: &mut sqlx::PgConnection,
    task: &Task,
    after: Duration,
    note: &str,
) -> Result<bool, sqlx::Error> {
    requeue(tx, task, after, note, Requeue::Deferred).await
}

enum Requeue {
    Counted,
    Uncounted,
    Deferred,
}

async fn requeue(
    tx: &mut sqlx::PgConnection,
    task: &Task,
    after: Duration,
    note: &str,
    how: Requeue,
) -> Result<bool, sqlx::Error> {
    let (uncount, deferred) = match how {
        Requeue::Counted => (0, 0),
        Requeue::Uncounted => (1, 0),
        Requeue::Deferred => (1, 1),
    };
    let done = sqlx::query(
        "UPDATE pipeline_tasks SET status = 'queued', attempts = GREATEST(attempts - $5, 0), deferrals = deferrals + $6,
                lease_token = NULL, lease_until = NULL, last_error = $3,
                run_after = now() + make_interval(secs => $4), updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND status = 'running'",
    )
    .bind(task.id)
    .bind(task.lease_token)
    .bind(note)
    .bind(after.as_secs_f64())
    .bind(uncount)
    .bind(deferred)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives up on the task for good, if we still hold its lease.
pub async fn fail(tx: &mut sqlx::PgConnection, task: &Task, error: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE pipeline_tasks SET status = 'failed', lease_token = NULL, lease_until = NULL, last_error = $3,
                updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND status = 'running'",
    )
    .bind(task.id)
    .bind(task.lease_token)
    .bind(error)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Exponential backoff with jitter: 2^attempt seconds (capped at 5 minutes), ±25 %.
pub fn backoff(attempt: i32) -> Duration {
    let base = 2f64.powi(attempt.clamp(0, 8)).min(300.0);
    let jitter = 0.75 + rand::random::<f64>() * 0.5;
    Duration::from_secs_f64(base * jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_each_other() {
        assert_eq!(next_step("research"), Some("score"));
        assert_eq!(next_step("contacts"), Some("outreach"));
        assert_eq!(next_step("outreach"), None);
        assert_eq!(next_step("nonsense"), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for _ in 0..50 {
            let one = backoff(1).as_secs_f64();
            assert!((1.5..=2.5).contains(&one), "{one}");
            let big = backoff(20).as_secs_f64();
            assert!((192.0..=320.0).contains(&big), "{big}");
        }
    }
}
