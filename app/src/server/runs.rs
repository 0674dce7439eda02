//! Campaign controls: start, pause, resume, cancel, retry failed rows, re-score. Each is
//! one transaction that changes the state, the task rows and the event log together.

use uuid::Uuid;

use super::{Ctx, events};
use crate::error::AppError;
use crate::model::CampaignEvent;

async fn lock_status(tx: &mut sqlx::PgConnection, owner: Uuid, campaign: Uuid) -> Result<String, AppError> {
    sqlx::query_scalar(
        "SELECT status FROM campaigns WHERE owner_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE",
    )
    .bind(owner)
    .bind(campaign)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)
}

/// Sets a campaign's status (and reason) and logs the change as an event, inside `tx`.
pub async fn set_status(
    tx: &mut sqlx::PgConnection,
    owner: Uuid,
    campaign: Uuid,
    status: &str,
    reason: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE campaigns SET status = $3, status_reason = $4,
                started_at = CASE WHEN $3 = 'running' THEN COALESCE(started_at, now()) ELSE started_at END,
                finished_at = CASE WHEN $3 IN ('done', 'cancelled', 'failed') THEN now() ELSE NULL END
          WHERE owner_id = $1 AND id = $2",
    )
    .bind(owner)
    .bind(campaign)
    .bind(status)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    let event = CampaignEvent::Status { status: status.into(), reason: reason.map(str::to_string) };
    events::emit(tx, campaign, owner, &event).await?;
    Ok(())
}

/// Moves the campaign's rows in one of the `from` statuses to `to` (error cleared) and
/// tells the stream with one `rows` event.
async fn move_rows(
    tx: &mut sqlx::PgConnection,
    (owner, campaign): (Uuid, Uuid),
    from: &[&str],
    to: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE companies SET status = $4, error = NULL, updated_at = now()
          WHERE owner_id = $1 AND campaign_id = $2 AND status = ANY($3)",
    )
    .bind(owner)
    .bind(campaign)
    .bind(from)
    .bind(to)
    .execute(&mut *tx)
    .await?;
    let event = CampaignEvent::Rows { from: from.iter().map(|s| s.to_string()).collect(), to: to.into() };
    events::emit(tx, campaign, owner, &event).await?;
    Ok(())
}

fn refuse(now: &str, action: &str) -> AppError {
    AppError::Refused(format!("A {now} campaign cannot be {action}."))
}

/// Starts a draft: snapshots the profile and queues the first step of every company.
pub async fn start(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<(), AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status = lock_status(&mut tx, owner, campaign).await?;
    if status != "draft" {
        return Err(refuse(&status, "started again; use resume or retry"));
    }
    let queued = sqlx::query(
        "INSERT INTO pipeline_tasks (campaign_id, company_id, owner_id, step)
         SELECT campaign_id, id, owner_id, 'research' FROM companies WHERE owner_id = $1 AND campaign_id = $2
         ON CONFLICT DO NOTHING",
    )
    .bind(owner)
    .bind(campaign)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if queued == 0 {
        return Err(AppError::Refused("Add at least one company before starting.".into()));
    }
    sqlx::query(
        "UPDATE campaigns c SET profile_snapshot = (
            SELECT jsonb_build_object('name', p.name, 'website', p.website, 'product', p.product,
                                      'audience', p.audience, 'samples', p.samples)
              FROM profiles p WHERE p.id = c.profile_id AND p.owner_id = $1)
          WHERE c.owner_id = $1 AND c.id = $2",
    )
    .bind(owner)
    .bind(campaign)
    .execute(&mut *tx)
    .await?;
    set_status(&mut tx, owner, campaign, "running", None).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn pause(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<(), AppError> {
    switch(ctx, (owner, campaign), ("running", "paused"), Some("Paused by you.")).await
}

pub async fn resume(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<(), AppError> {
    switch(ctx, (owner, campaign), ("paused", "running"), None).await
}

/// Moves a campaign from status `from` to `to`, refusing any other current status.
async fn switch(
    ctx: &Ctx,
    (owner, campaign): (Uuid, Uuid),
    (from, to): (&str, &str),
    reason: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status = lock_status(&mut tx, owner, campaign).await?;
    if status != from {
        let verb = if to == "paused" { "paused" } else { "resumed" };
        return Err(refuse(&status, verb));
    }
    set_status(&mut tx, owner, campaign, to, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Stops for good: queued work is dropped; finished results stay.
pub async fn cancel(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<(), AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status = lock_status(&mut tx, owner, campaign).await?;
    if !matches!(status.as_str(), "running" | "paused") {
        return Err(refuse(&status, "cancelled"));
    }
    sqlx::query(
        "UPDATE pipeline_tasks SET status = 'cancelled', lease_token = NULL, updated_at = now()
          WHERE owner_id = $1 AND campaign_id = $2 AND status IN ('queued', 'running')",
    )
    .bind(owner)
    .bind(campaign)
    .execute(&mut *tx)
    .await?;
    move_rows(&mut tx, (owner, campaign), &["queued", "researching"], "cancelled").await?;
    set_status(&mut tx, owner, campaign, "cancelled", Some("Cancelled by you.")).await?;
    tx.commit().await?;
    Ok(())
}

/// Queues failed and refused rows again from the step that stopped them, with fresh
/// attempts.
pub async fn retry_failed(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<u64, AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status = lock_status(&mut tx, owner, campaign).await?;
    if status == "draft" {
        return Err(refuse(&status, "retried"));
    }
    let n = sqlx::query(
        "UPDATE pipeline_tasks SET status = 'queued', attempts = 0, deferrals = 0, run_after = now(), last_error = NULL,
                lease_token = NULL, updated_at = now()
          WHERE owner_id = $1 AND campaign_id = $2 AND status IN ('failed', 'refused')",
    )
    .bind(owner)
    .bind(campaign)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::Refused("No failed rows to retry.".into()));
    }
    move_rows(&mut tx, (owner, campaign), &["failed", "refused"], "queued").await?;
    run_unless_paused(&mut tx, (owner, campaign), &status).await?;
    tx.commit().await?;
    Ok(n)
}

/// Scores every researched company again (after the ICP or personas changed), reusing
/// the stored research: no new search or fetch.
pub async fn rescore(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<u64, AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status = lock_status(&mut tx, owner, campaign).await?;
    if !matches!(status.as_str(), "done" | "paused" | "cancelled" | "running") {
        return Err(refuse(&status, "re-scored"));
    }
    let n = sqlx::query(
        "INSERT INTO pipeline_tasks (campaign_id, company_id, owner_id, step)
         SELECT t.campaign_id, t.company_id, t.owner_id, 'score' FROM pipeline_tasks t
          WHERE t.owner_id = $1 AND t.campaign_id = $2 AND t.step = 'research' AND t.status = 'done'
         ON CONFLICT (campaign_id, company_id, step) DO UPDATE
            SET status = 'queued', attempts = 0, deferrals = 0, run_after = now(), last_error = NULL, lease_token = NULL,
                updated_at = now()",
    )
    .bind(owner)
    .bind(campaign)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "DELETE FROM pipeline_tasks WHERE owner_id = $1 AND campaign_id = $2
            AND step IN ('signals', 'contacts', 'outreach')",
    )
    .bind(owner)
    .bind(campaign)
    .execute(&mut *tx)
    .await?;
    run_unless_paused(&mut tx, (owner, campaign), &status).await?;
    tx.commit().await?;
    Ok(n)
}

/// Retry and re-score queue work; they do not resume a paused campaign on the side (it
/// may be paused for a quota or a budget, with its reason on the page): Resume does that.
async fn run_unless_paused(
    tx: &mut sqlx::PgConnection,
    (owner, campaign): (Uuid, Uuid),
    status: &str,
) -> Result<(), AppError> {
    if status == "paused" {
        return Ok(());
    }
    set_status(tx, owner, campaign, "running", None).await
}
