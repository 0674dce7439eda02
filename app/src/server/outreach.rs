//! Outreach drafts: every change is a new version (instruction, manual edit, restore);
//! nothing is overwritten. Revisions with an instruction go to the configured LLM
//! (`reviser`), or to the built-in rewriter when there is none.

use sqlx::types::Json;
use uuid::Uuid;

use super::Ctx;
use super::reviser::{Revision, RevisionRequest};
use super::throttle;
use crate::analyzer;
use crate::error::{AppError, Validator};
use crate::research::Signal;

/// The latest version's subject and body, and the lead's signals; checks ownership.
async fn current(
    tx: &mut sqlx::PgConnection,
    owner: Uuid,
    campaign: Uuid,
    lead: i64,
) -> Result<(Option<(String, String)>, Vec<Signal>), AppError> {
    let signals: Option<Json<Vec<Signal>>> = sqlx::query_scalar(
        "SELECT co.signals FROM companies co JOIN campaigns c ON c.id = co.campaign_id
          WHERE co.owner_id = $1 AND co.campaign_id = $2 AND co.id = $3 AND c.owner_id = $1
            AND c.deleted_at IS NULL FOR UPDATE OF co",
    )
    .bind(owner)
    .bind(campaign)
    .bind(lead)
    .fetch_optional(&mut *tx)
    .await?;
    let signals = signals.ok_or(AppError::NotFound)?.0;
    let latest: Option<(String, String)> = sqlx::query_as(
        "SELECT subject, body FROM outreach_versions WHERE owner_id = $1 AND company_id = $2
          ORDER BY version DESC LIMIT 1",
    )
    .bind(owner)
    .bind(lead)
    .fetch_optional(&mut *tx)
    .await?;
    Ok((latest, signals))
}

/// A version about to be written.
struct NewVersion<'a> {
    subject: &'a str,
    body: &'a str,
    kind: &'a str,
    instruction: Option<&'a str>,
    author: &'a str,
}

async fn insert(
    tx: &mut sqlx::PgConnection,
    owner: Uuid,
    lead: i64,
    v: NewVersion<'_>,
) -> Result<i32, AppError> {
    let n: i32 = sqlx::query_scalar(
        "INSERT INTO outreach_versions (company_id, owner_id, version, subject, body, kind, instruction, author)
         SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5, $6, $7 FROM outreach_versions
          WHERE company_id = $1 AND owner_id = $2
         RETURNING version",
    )
    .bind(lead)
    .bind(owner)
    .bind(v.subject)
    .bind(v.body)
    .bind(v.kind)
    .bind(v.instruction)
    .bind(v.author)
    .fetch_one(&mut *tx)
    .await?;
    Ok(n)
}

/// Applies an instruction ("shorter", "more casual", "mention their funding", ...).
pub async fn revise(
    ctx: &Ctx,
    owner: Uuid,
    author: &str,
    campaign: Uuid,
    lead: i64,
    instruction: &str,
) -> Result<i32, AppError> {
    Validator::default().text("instruction", "Instruction", instruction, 2, 300).finish()?;
    let instruction = instruction.trim();
    // Read, revise, then write: the model call happens outside any transaction.
    let mut tx = ctx.pool.begin().await?;
    let (latest, signals) = current(&mut tx, owner, campaign, lead).await?;
    tx.commit().await?;
    let (subject, body) = latest.ok_or_else(|| {
        AppError::Refused("This lead has no draft yet; wait for its research to finish.".into())
    })?;
    let revised = match &ctx.settings.reviser.0 {
        Some(reviser) => {
            // The model rewords; it may not add news research did not find.
            analyzer::check_mentions(instruction, &signals)
                .map_err(|e| AppError::field("instruction", e.to_string()))?;
            let rule = throttle::Rule::model_revisions();
            throttle::attempt(&ctx.pool, &rule, &[format!("revise:{owner}")]).await?.admit().await?;
            let samples = sender_samples(ctx, owner, campaign).await?;
            let req = RevisionRequest {
                subject: subject.clone(),
                body: body.clone(),
                instruction: instruction.to_string(),
                signals: signals.iter().map(|s| s.summary.clone()).collect(),
                samples,
            };
            reviser.revise(req).await.map_err(|e| AppError::field("instruction", e))?
        }
        None => Revision {
            subject: subject.clone(),
            body: analyzer::rewrite(&body, instruction, &signals)
                .map_err(|e| AppError::field("instruction", e.to_string()))?,
            ..Default::default()
        },
    };
    let mut tx = ctx.pool.begin().await?;
    current(&mut tx, owner, campaign, lead).await?; // still there, still theirs; locks the row
    let v = insert(
        &mut tx,
        owner,
        lead,
        NewVersion {
            subject: &revised.subject,
            body: &revised.body,
            kind: "instruction",
            instruction: Some(instruction),
            author,
        },
    )
    .await?;
    if revised.tokens_in + revised.tokens_out > 0 {
        sqlx::query(
            "UPDATE companies SET tokens_in = tokens_in + $3, tokens_out = tokens_out + $4,
                    cost_usd = cost_usd + $5
              WHERE owner_id = $1 AND id = $2",
        )
        .bind(owner)
        .bind(lead)
        .bind(revised.tokens_in as i64)
        .bind(revised.tokens_out as i64)
        .bind(revised.cost_usd)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(v)
}

/// The writing samples of the profile the campaign writes as (snapshot at start).
async fn sender_samples(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<Vec<String>, AppError> {
    let samples: Option<Json<Vec<String>>> = sqlx::query_scalar(
        "SELECT profile_snapshot->'samples' FROM campaigns WHERE owner_id = $1 AND id = $2",
    )
    .bind(owner)
    .bind(campaign)
    .fetch_optional(&ctx.pool)
    .await?
    .flatten();
    Ok(samples.map(|s| s.0).unwrap_or_default())
}

/// Saves a hand-edited draft as a new version.
pub async fn edit(
    ctx: &Ctx,
    owner: Uuid,
    author: &str,
    campaign: Uuid,
    lead: i64,
    subject: &str,
    body: &str,
) -> Result<i32, AppError> {
    Validator::default()
        .text("subject", "Subject", subject, 0, 300)
        .text("body", "Message", body, 1, 10_000)
        .finish()?;
    let mut tx = ctx.pool.begin().await?;
    let (latest, _) = current(&mut tx, owner, campaign, lead).await?;
    if latest.as_ref().is_some_and(|(s, b)| s == subject.trim() && b == body.trim()) {
        return Err(AppError::field("body", "Nothing changed."));
    }
    let v = insert(
        &mut tx,
        owner,
        lead,
        NewVersion { subject: subject.trim(), body: body.trim(), kind: "manual", instruction: None, author },
    )
    .await?;
    tx.commit().await?;
    Ok(v)
}

/// Makes an earlier version current again (as a new version, so history stays whole).
pub async fn restore(
    ctx: &Ctx,
    owner: Uuid,
    author: &str,
    campaign: Uuid,
    lead: i64,
    version: i32,
) -> Result<i32, AppError> {
    let mut tx = ctx.pool.begin().await?;
    current(&mut tx, owner, campaign, lead).await?;
    let old: Option<(String, String)> = sqlx::query_as(
        "SELECT subject, body FROM outreach_versions WHERE owner_id = $1 AND company_id = $2 AND version = $3",
    )
    .bind(owner)
    .bind(lead)
    .bind(version)
    .fetch_optional(&mut *tx)
    .await?;
    let (subject, body) = old.ok_or(AppError::NotFound)?;
    let note = format!("restored version {version}");
    let v = insert(
        &mut tx,
        owner,
        lead,
        NewVersion { subject: &subject, body: &body, kind: "restore", instruction: Some(&note), author },
    )
    .await?;
    tx.commit().await?;
    Ok(v)
}
