//! Writes a step's output, the next task and the event in one transaction — but only
//! while the worker still holds the task's lease. A lost lease writes nothing.

use app::model::CampaignEvent;
use app::server::{events, leads};
use sqlx::PgPool;
use sqlx::types::Json;

use super::queue::{self, Task};
use super::steps::{self, Output, StepError};

/// What happened to the task.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    LeaseLost,
}

/// Locks the campaign row first: every completion of a campaign takes the same lock in
/// the same order as the controls (campaign, then tasks), so they never deadlock, and
/// the last completion always sees the others committed when it checks for the end.
async fn lock_campaign(tx: &mut sqlx::PgConnection, task: &Task) -> Result<(), StepError> {
    sqlx::query("SELECT 1 FROM campaigns WHERE id = $1 AND owner_id = $2 FOR UPDATE")
        .bind(task.campaign_id)
        .bind(task.owner_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub async fn apply(
    pool: &PgPool,
    task: &Task,
    inputs: &steps::Inputs,
    output: Output,
) -> Result<Outcome, StepError> {
    let mut tx = pool.begin().await?;
    lock_campaign(&mut tx, task).await?;
    if !queue::finish(&mut tx, task).await? {
        tx.rollback().await?;
        return Ok(Outcome::LeaseLost);
    }
    let provenance = steps::provenance(&task.step);
    let retrieved = &inputs.sources;
    match output {
        Output::Research { sources, note } => {
            sqlx::query("UPDATE companies SET sources = $2, status = 'researching', error = NULL,
                        provenance = provenance || $3 || jsonb_build_object('research_note', $4::text), updated_at = now()
                  WHERE id = $1 AND owner_id = $5")
            .bind(task.company_id)
            .bind(Json(&sources))
            .bind(&provenance)
            .bind(note)
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Score(assessment) => {
            let assessment = steps::check_assessment(assessment, retrieved);
            sqlx::query(
                "UPDATE companies SET score = $2, assessment = $3, status = 'researching',
                        provenance = provenance || $4, updated_at = now() WHERE id = $1 AND owner_id = $5",
            )
            .bind(task.company_id)
            .bind(assessment.score as i16)
            .bind(Json(&assessment))
            .bind(&provenance)
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
        Output::Signals(signals) => {
            let signals = steps::keep_cited(signals, retrieved, |s| &s.source, "signal");
            sqlx::query("UPDATE companies SET signals = $2, provenance = provenance || $3, updated_at = now() WHERE id = $1 AND owner_id = $4")
                .bind(task.company_id)
                .bind(Json(&signals))
                .bind(&provenance)
            .bind(task.owner_id)
            .execute(&mut *tx)
                .await?;
        }
        Output::Contacts(contacts) => {
            let contacts = steps::keep_cited(contacts, retrieved, |c| &c.source, "contact");
            sqlx::query("UPDATE companies SET contacts = $2, provenance = provenance || $3, updated_at = now() WHERE id = $1 AND owner_id = $4")
                .bind(task.company_id)
                .bind(Json(&contacts))
                .bind(&provenance)
            .bind(task.owner_id)
            .execute(&mut *tx)
                .await?;
        }
        Output::Outreach(draft) => {
            // A new version only when the text differs from the current one (a re-score
            // that changes nothing does not pile up identical drafts).
            sqlx::query(
                "INSERT INTO outreach_versions (company_id, owner_id, version, subject, body, kind, author)
                 SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, 'generated', 'built-in analyzer'
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
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE companies SET status = 'done', finished_at = now(), provenance = provenance || $2,
                        updated_at = now() WHERE id = $1 AND owner_id = $3",
            )
            .bind(task.company_id)
            .bind(&provenance)
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    if let Some(next) = queue::next_step(&task.step) {
        queue::enqueue(&mut tx, task, next).await?;
    }
    emit_row(&mut tx, task).await?;
    finish_campaign_if_idle(&mut tx, task).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Emits the company's current row as a `lead` event.
pub async fn emit_row(tx: &mut sqlx::PgConnection, task: &Task) -> Result<(), StepError> {
    let row = leads::row_in(tx, task.owner_id, task.company_id)
        .await
        .map_err(|e| StepError::Data(e.to_string()))?;
    events::emit(tx, task.campaign_id, task.owner_id, &CampaignEvent::Lead { row })
        .await
        .map_err(|e| StepError::Data(e.to_string()))?;
    Ok(())
}

/// Marks the campaign done when no task of it is queued or running any more.
pub async fn finish_campaign_if_idle(tx: &mut sqlx::PgConnection, task: &Task) -> Result<(), StepError> {
    let done = sqlx::query(
        "UPDATE campaigns SET status = 'done', status_reason = NULL, finished_at = now()
          WHERE id = $1 AND owner_id = $2 AND status = 'running' AND NOT EXISTS (
                SELECT 1 FROM pipeline_tasks WHERE campaign_id = $1 AND status IN ('queued', 'running'))",
    )
    .bind(task.campaign_id)
    .bind(task.owner_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 1 {
        let event = CampaignEvent::Status { status: "done".into(), reason: None };
        events::emit(tx, task.campaign_id, task.owner_id, &event)
            .await
            .map_err(|e| StepError::Data(e.to_string()))?;
    }
    Ok(())
}

/// Records a failed attempt: retried later with backoff, or failed for good at
/// `max_attempts` (the row then shows the error).
pub async fn failed_attempt(pool: &PgPool, task: &Task, error: &str) -> Result<Outcome, StepError> {
    let mut tx = pool.begin().await?;
    lock_campaign(&mut tx, task).await?;
    let final_attempt = task.attempts >= task.max_attempts;
    let held = if final_attempt {
        queue::fail(&mut tx, task, error).await?
    } else {
        queue::retry_later(&mut tx, task, queue::backoff(task.attempts), error).await?
    };
    if !held {
        tx.rollback().await?;
        return Ok(Outcome::LeaseLost);
    }
    if final_attempt {
        sqlx::query("UPDATE companies SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND owner_id = $3")
            .bind(task.company_id)
            .bind(format!("{} step failed: {error}", task.step))
            .bind(task.owner_id)
            .execute(&mut *tx)
            .await?;
        emit_row(&mut tx, task).await?;
        finish_campaign_if_idle(&mut tx, task).await?;
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}
