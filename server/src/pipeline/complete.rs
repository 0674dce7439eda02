//! Writes a step's output, the next task and the event in one transaction — but only
//! while the worker still holds the task's lease. A lost lease writes nothing.

use app::model::CampaignEvent;
use app::server::{events, leads, runs};
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

use super::queue::{self, Task};
use super::steps::{self, Output, StepError, Usage};

/// What happened to the task.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    LeaseLost,
}

/// Locks the campaign row first, in the same order as the controls (campaign, then
/// tasks), so they never deadlock. Completions take it shared, so they run side by side
/// while a control (pause, cancel: exclusive) waits for them; anything that changes the
/// campaign row itself (ending it, pausing it) takes it exclusive, in its own transaction.
/// Returns the campaign's budget, if it has one.
async fn lock_campaign(
    tx: &mut sqlx::PgConnection,
    (campaign, owner): (Uuid, Uuid),
    exclusive: bool,
) -> Result<Option<f64>, StepError> {
    let mode = if exclusive { "UPDATE" } else { "SHARE" };
    let budget: Option<Option<f64>> = sqlx::query_scalar(&format!(
        "SELECT budget_usd FROM campaigns WHERE id = $1 AND owner_id = $2 FOR {mode}"
    ))
    .bind(campaign)
    .bind(owner)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(budget.flatten())
}

pub async fn apply(
    pool: &PgPool,
    task: &Task,
    inputs: &steps::Inputs,
    output: Output,
    usage: &Usage,
) -> Result<Outcome, StepError> {
    let mut tx = pool.begin().await?;
    let budget = lock_campaign(&mut tx, task.ids(), false).await?;
    if !queue::finish(&mut tx, task).await? {
        tx.rollback().await?;
        return Ok(Outcome::LeaseLost);
    }
    // Provenance and spending of this step, whatever it produced (one statement: this
    // runs for every step of every company).
    sqlx::query(
        "UPDATE companies SET provenance = provenance || $3, tokens_in = tokens_in + $4,
                tokens_out = tokens_out + $5, cost_usd = cost_usd + $6
          WHERE id = $1 AND owner_id = $2",
    )
    .bind(task.company_id)
    .bind(task.owner_id)
    .bind(usage.provenance(&task.step))
    .bind(usage.tokens_in as i64)
    .bind(usage.tokens_out as i64)
    .bind(usage.cost_usd)
    .execute(&mut *tx)
    .await?;
    let retrieved = &inputs.sources;
    let mut next = queue::next_step(&task.step);
    match output {
        Output::Research { sources, pages, note } => {
            sqlx::query("UPDATE companies SET sources = $2, pages = $3, status = 'researching', error = NULL,
                        provenance = provenance || jsonb_build_object('research_note', $4::text), updated_at = now()
                  WHERE id = $1 AND owner_id = $5")
            .bind(task.company_id)
            .bind(Json(&sources))
            .bind(Json(&pages))
            .bind(note)
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Refused(text) => {
            next = None;
            // The task ends `refused`, not `done`, so "Retry failed" can queue it again.
            sqlx::query("UPDATE pipeline_tasks SET status = 'refused' WHERE id = $1 AND owner_id = $2")
                .bind(task.id)
                .bind(task.owner_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE companies SET status = 'refused', error = $2, finished_at = now(), updated_at = now()
                  WHERE id = $1 AND owner_id = $3",
            )
            .bind(task.company_id)
            .bind(format!("The model declined the {} step: {text}", task.step))
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Score(assessment) => {
            let assessment = steps::check_assessment(assessment, retrieved);
            sqlx::query(
                "UPDATE companies SET score = $2, assessment = $3, status = 'researching', error = NULL,
                        updated_at = now() WHERE id = $1 AND owner_id = $4",
            )
            .bind(task.company_id)
            .bind(assessment.score as i16)
            .bind(Json(&assessment))
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Signals(signals) => {
            let signals = steps::keep_cited(signals, retrieved, |s| &s.source, "signal");
            sqlx::query(
                "UPDATE companies SET signals = $2, updated_at = now() WHERE id = $1 AND owner_id = $3",
            )
            .bind(task.company_id)
            .bind(Json(&signals))
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Contacts(contacts) => {
            let contacts = steps::keep_cited(contacts, retrieved, |c| &c.source, "contact");
            sqlx::query(
                "UPDATE companies SET contacts = $2, updated_at = now() WHERE id = $1 AND owner_id = $3",
            )
            .bind(task.company_id)
            .bind(Json(&contacts))
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Outreach(draft) => {
            // A new version only when the text differs from the current one (a re-score
            // that changes nothing does not pile up identical drafts).
            sqlx::query(
                "INSERT INTO outreach_versions (company_id, owner_id, version, subject, body, kind, author)
                 SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, 'generated', $5
                   FROM outreach_versions WHERE company_id = $1 AND owner_id = $2
                 HAVING NOT EXISTS (
                    SELECT 1 FROM outreach_versions o WHERE o.company_id = $1 AND o.owner_id = $2
                      AND o.body = $4 AND o.subject = $3
                      AND o.version = (SELECT max(version) FROM outreach_versions WHERE company_id = $1 AND owner_id = $2))",
            )
            .bind(task.company_id)
            .bind(task.owner_id)
            .bind(&draft.subject)
            .bind(&draft.body)
            .bind(author(usage))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE companies SET status = 'done', error = NULL, finished_at = now(), updated_at = now()
                  WHERE id = $1 AND owner_id = $2",
            )
            .bind(task.company_id)
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    if let Some(next) = next {
        queue::enqueue(&mut tx, task, next).await?;
    }
    emit_row(&mut tx, task).await?;
    tx.commit().await?;
    // A company's last step may be the campaign's last; spending may reach the budget.
    if next.is_none() || (budget.is_some() && usage.cost_usd > 0.0) {
        settle(pool, task).await?;
    }
    Ok(Outcome::Done)
}

/// Adds what a failed step spent (tokens and dollars) to its company, inside the
/// transaction that requeues or fails the task: a failed call was still paid for, and the
/// totals and the budget cap must see it.
async fn add_spend(tx: &mut sqlx::PgConnection, task: &Task, usage: &Usage) -> Result<(), StepError> {
    if usage.tokens_in == 0 && usage.tokens_out == 0 && usage.cost_usd == 0.0 {
        return Ok(());
    }
    sqlx::query(
        "UPDATE companies SET tokens_in = tokens_in + $3, tokens_out = tokens_out + $4, cost_usd = cost_usd + $5
          WHERE id = $1 AND owner_id = $2",
    )
    .bind(task.company_id)
    .bind(task.owner_id)
    .bind(usage.tokens_in as i64)
    .bind(usage.tokens_out as i64)
    .bind(usage.cost_usd)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// After a completion: pauses the campaign at its budget, or marks it done when no task
/// is left, under the exclusive lock. Run after commit, so the check sees every other
/// completion that committed before it; if this instance dies first, the idle sweep
/// (`finish_idle_campaigns`) does it.
async fn settle(pool: &PgPool, task: &Task) -> Result<(), StepError> {
    let mut tx = pool.begin().await?;
    if lock_campaign(&mut tx, task.ids(), true).await?.is_some() {
        pause_if_over_budget(&mut tx, task).await?;
    }
    finish_campaign_if_idle(&mut tx, task.ids()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends running campaigns that have no task left (a completion whose instance died
/// between its commit and `settle`). Workers run it when they find nothing to do.
pub async fn finish_idle_campaigns(pool: &PgPool) -> Result<(), StepError> {
    let idle: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT c.id, c.owner_id FROM campaigns c
          WHERE c.status = 'running' AND NOT EXISTS (
                SELECT 1 FROM pipeline_tasks t WHERE t.campaign_id = c.id AND t.status IN ('queued', 'running'))
          LIMIT 20",
    )
    .fetch_all(pool)
    .await?;
    for ids in idle {
        let mut tx = pool.begin().await?;
        lock_campaign(&mut tx, ids, true).await?;
        finish_campaign_if_idle(&mut tx, ids).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Pauses a running campaign whose spending reached its budget (the user may raise the
/// budget and resume).
async fn pause_if_over_budget(tx: &mut sqlx::PgConnection, task: &Task) -> Result<(), StepError> {
    let over: Option<(f64, f64)> = sqlx::query_as(
        "SELECT c.budget_usd, s.spent FROM campaigns c,
                LATERAL (SELECT COALESCE(sum(cost_usd), 0)::float8 AS spent FROM companies
                          WHERE campaign_id = c.id AND owner_id = c.owner_id) s
          WHERE c.id = $1 AND c.owner_id = $2 AND c.status = 'running'
            AND c.budget_usd IS NOT NULL AND s.spent >= c.budget_usd",
    )
    .bind(task.campaign_id)
    .bind(task.owner_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((budget, spent)) = over {
        let reason =
            format!("Budget of ${budget:.2} reached (${spent:.2} spent). Raise the budget to continue.");
        pause(tx, task, &reason).await?;
    }
    Ok(())
}

async fn pause(tx: &mut sqlx::PgConnection, task: &Task, reason: &str) -> Result<(), StepError> {
    runs::set_status(tx, task.owner_id, task.campaign_id, "paused", Some(reason))
        .await
        .map_err(|e| StepError::Data(e.to_string()))
}

/// A provider refused for a reason retrying cannot fix (quota, key): put the task back
/// without counting the attempt and pause the campaign with the reason shown.
pub async fn pause_for_provider(
    pool: &PgPool,
    task: &Task,
    reason: &str,
    spent: &Usage,
) -> Result<Outcome, StepError> {
    let mut tx = pool.begin().await?;
    lock_campaign(&mut tx, task.ids(), true).await?;
    if !queue::release(&mut tx, task, std::time::Duration::ZERO, reason).await? {
        tx.rollback().await?;
        return Ok(Outcome::LeaseLost);
    }
    add_spend(&mut tx, task, spent).await?;
    let running: Option<String> = sqlx::query_scalar(
        "SELECT status FROM campaigns WHERE id = $1 AND owner_id = $2 AND status = 'running'",
    )
    .bind(task.campaign_id)
    .bind(task.owner_id)
    .fetch_optional(&mut *tx)
    .await?;
    if running.is_some() {
        pause(&mut tx, task, &format!("Paused: {reason}")).await?;
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// The longest wait a provider's Retry-After can impose on one task: a hint of hours (or
/// a garbled one) must not park a row out of sight; the limits pace the retries anyway.
pub const MAX_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// The provider is rate limiting us: reschedule the task for after the wait (at most
/// [`MAX_RETRY_AFTER`]) as a deferral, not an attempt, instead of sleeping in a worker.
/// Past [`queue::MAX_DEFERRALS`] waits, each further one counts as a failed attempt.
pub async fn come_back_later(
    pool: &PgPool,
    task: &Task,
    after: std::time::Duration,
    error: &str,
    spent: &Usage,
) -> Result<Outcome, StepError> {
    if task.deferrals >= queue::MAX_DEFERRALS {
        let error = format!("still rate limited after {} waits: {error}", task.deferrals);
        return failed_attempt(pool, task, &error, Retry::After(after), spent).await;
    }
    let mut tx = pool.begin().await?;
    if !queue::defer(&mut tx, task, after.min(MAX_RETRY_AFTER), error).await? {
        tx.rollback().await?;
        return Ok(Outcome::LeaseLost);
    }
    add_spend(&mut tx, task, spent).await?;
    tx.commit().await?;
    if spent.cost_usd > 0.0 {
        settle(pool, task).await?;
    }
    Ok(Outcome::Done)
}

/// Emits the company's current row as a `lead` event. Best as the transaction's last
/// write: `events::emit` holds the campaign's event lock until commit.
pub async fn emit_row(tx: &mut sqlx::PgConnection, task: &Task) -> Result<(), StepError> {
    let row = leads::row_in(tx, task.owner_id, task.company_id)
        .await
        .map_err(|e| StepError::Data(e.to_string()))?;
    events::emit(tx, task.campaign_id, task.owner_id, &CampaignEvent::Lead { row })
        .await
        .map_err(|e| StepError::Data(e.to_string()))?;
    Ok(())
}

/// Marks the campaign done when no task of it is queued or running any more — or
/// cancelled again, when it was cancelled and then re-scored: its cancelled rows were
/// never researched, and "done" would say they were.
pub async fn finish_campaign_if_idle(
    tx: &mut sqlx::PgConnection,
    (campaign, owner): (Uuid, Uuid),
) -> Result<(), StepError> {
    let ended: Option<(String, Option<String>)> = sqlx::query_as(
        "UPDATE campaigns c
            SET status = e.status, status_reason = e.reason, finished_at = now()
           FROM (SELECT CASE WHEN cancelled THEN 'cancelled' ELSE 'done' END AS status,
                        CASE WHEN cancelled THEN 'Cancelled by you; the rows researched before are up to date.' END AS reason
                   FROM (SELECT EXISTS (SELECT 1 FROM companies
                                         WHERE campaign_id = $1 AND owner_id = $2 AND status = 'cancelled') AS cancelled) x) e
          WHERE c.id = $1 AND c.owner_id = $2 AND c.status = 'running' AND NOT EXISTS (
                SELECT 1 FROM pipeline_tasks WHERE campaign_id = $1 AND status IN ('queued', 'running'))
         RETURNING c.status, c.status_reason",
    )
    .bind(campaign)
    .bind(owner)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((status, reason)) = ended {
        let event = CampaignEvent::Status { status, reason };
        events::emit(tx, campaign, owner, &event).await.map_err(|e| StepError::Data(e.to_string()))?;
    }
    Ok(())
}

/// When a failed attempt may be tried again.
#[derive(Debug, Clone, Copy)]
pub enum Retry {
    /// After the usual backoff (growing with the attempts, jittered).
    Backoff,
    /// After the provider's own hint (capped at [`MAX_RETRY_AFTER`]).
    After(std::time::Duration),
    /// Never: no retry can help this row.
    Never,
}

/// Records a failed attempt, and what it spent: retried later, or failed for good at
/// `max_attempts` or with [`Retry::Never`] (the row then shows the error).
pub async fn failed_attempt(
    pool: &PgPool,
    task: &Task,
    error: &str,
    retry: Retry,
    spent: &Usage,
) -> Result<Outcome, StepError> {
    let mut tx = pool.begin().await?;
    lock_campaign(&mut tx, task.ids(), true).await?;
    let final_attempt = matches!(retry, Retry::Never) || task.attempts >= task.max_attempts;
    let held = match retry {
        _ if final_attempt => queue::fail(&mut tx, task, error).await?,
        Retry::After(after) => queue::retry_later(&mut tx, task, after.min(MAX_RETRY_AFTER), error).await?,
        _ => queue::retry_later(&mut tx, task, queue::backoff(task.attempts), error).await?,
    };
    if !held {
        tx.rollback().await?;
        return Ok(Outcome::LeaseLost);
    }
    add_spend(&mut tx, task, spent).await?;
    if final_attempt {
        sqlx::query("UPDATE companies SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND owner_id = $3")
            .bind(task.company_id)
            .bind(format!("{} step failed: {error}", task.step))
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        emit_row(&mut tx, task).await?;
        finish_campaign_if_idle(&mut tx, task.ids()).await?;
    }
    tx.commit().await?;
    if spent.cost_usd > 0.0 {
        settle(pool, task).await?;
    }
    Ok(Outcome::Done)
}

/// Who wrote a generated draft, as the version history shows it: the model's name, or
/// the built-in analyzer.
fn author(usage: &Usage) -> String {
    match &usage.model {
        Some(model) => format!("{model} (LLM)"),
        None => "built-in analyzer".to_string(),
    }
}
