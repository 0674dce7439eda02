//! Companies of a campaign: bulk insert of importer output (file or typed list),
//! removal before start. One INSERT for the whole batch, in one transaction.

use sqlx::types::Json;
use uuid::Uuid;

use super::Ctx;
use crate::error::AppError;
use crate::import::{Outcome, Website};
use crate::model::AddReport;

/// Human lines describing what an import did: merges, unusable websites, skipped rows.
pub fn outcome_notes(o: &Outcome) -> Vec<String> {
    let mut notes = Vec::new();
    for m in &o.merges {
        let merged: Vec<String> = m.merged.iter().map(|(row, name)| format!("row {row} “{name}”")).collect();
        notes.push(format!(
            "Merged duplicates of {}: kept row {} “{}”, merged {}.",
            m.domain,
            m.kept_row,
            m.kept_name,
            merged.join(", ")
        ));
    }
    for (row, name, reason) in &o.invalid_websites {
        notes.push(format!("Row {row} “{name}”: website not usable ({reason}); researched by name only."));
    }
    if !o.skipped_no_name.is_empty() {
        let rows: Vec<String> = o.skipped_no_name.iter().map(|r| r.to_string()).collect();
        notes.push(format!("Skipped rows without a name or website: {}.", rows.join(", ")));
    }
    for (row, note) in &o.flagged {
        notes.push(format!("Row {row}: {note}."));
    }
    notes.extend(o.warnings.iter().cloned());
    notes
}

/// Adds the companies of an importer outcome to a draft campaign. Companies whose
/// domain is already in the campaign are counted, not added twice.
pub async fn add(
    ctx: &Ctx,
    owner: Uuid,
    plan: &str,
    campaign: Uuid,
    outcome: &Outcome,
    mut notes: Vec<String>,
) -> Result<AddReport, AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM campaigns WHERE owner_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE",
    )
    .bind(owner)
    .bind(campaign)
    .fetch_optional(&mut *tx)
    .await?;
    match status.as_deref() {
        None => return Err(AppError::NotFound),
        Some("draft") => {}
        Some(_) => {
            return Err(AppError::Refused("Companies can only be added before the campaign starts.".into()));
        }
    }
    let (existing, next_pos): (i64, i32) = sqlx::query_as(
        "SELECT count(*), COALESCE(max(position) + 1, 0) FROM companies WHERE owner_id = $1 AND campaign_id = $2",
    )
    .bind(owner)
    .bind(campaign)
    .fetch_one(&mut *tx)
    .await?;
    let limit = ctx.settings.plan(plan).companies_per_campaign as i64;
    let incoming = outcome.companies.len() as i64;
    if existing + incoming > limit {
        return Err(AppError::Refused(format!(
            "Your {plan} plan allows {limit} companies per campaign; this campaign has {existing} and this adds {incoming}. Nothing was added."
        )));
    }
    let n = outcome.companies.len();
    let (mut positions, mut rows, mut names, mut domains) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut statuses, mut raws, mut website_notes, mut fields, mut attrs) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (i, c) in outcome.companies.iter().enumerate() {
        positions.push(next_pos + i as i32);
        rows.push(c.source_row as i32);
        names.push(c.name.clone());
        let (status, domain, raw, note) = match &c.website {
            Website::Missing => ("missing", None, None, None),
            Website::Domain { domain } => ("domain", Some(domain.clone()), None, None),
            Website::Invalid { raw, reason } => ("invalid", None, Some(raw.clone()), Some(reason.clone())),
        };
        statuses.push(status.to_string());
        domains.push(domain);
        raws.push(raw);
        website_notes.push(note);
        fields.push(serde_json::to_value(&c.fields).map_err(super::ctx::internal)?);
        attrs.push(serde_json::to_value(&c.attributes).map_err(super::ctx::internal)?);
    }
    let inserted = sqlx::query(
        "INSERT INTO companies (campaign_id, owner_id, position, source_row, name, domain, website_status,
                                website_raw, website_note, fields, attributes)
         SELECT $1, $2, * FROM UNNEST($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                                      $9::text[], $10::jsonb[], $11::jsonb[])
         ON CONFLICT (campaign_id, domain) WHERE domain IS NOT NULL DO NOTHING",
    )
    .bind(campaign)
    .bind(owner)
    .bind(&positions)
    .bind(&rows)
    .bind(&names)
    .bind(&domains)
    .bind(&statuses)
    .bind(&raws)
    .bind(&website_notes)
    .bind(&fields)
    .bind(&attrs)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let already = n as u64 - inserted;
    if already > 0 {
        notes.push(format!(
            "{already} companies were already in this campaign (same domain) and were not added again."
        ));
    }
    sqlx::query("UPDATE campaigns SET import_summary = $3 WHERE owner_id = $1 AND id = $2")
        .bind(owner)
        .bind(campaign)
        .bind(Json(&notes))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(AddReport { added: inserted as u32, already_present: already as u32, notes })
}

pub async fn remove(ctx: &Ctx, owner: Uuid, campaign: Uuid, company: i64) -> Result<(), AppError> {
    let done = sqlx::query(
        "DELETE FROM companies co USING campaigns c
          WHERE co.id = $3 AND co.campaign_id = $2 AND co.owner_id = $1
            AND c.id = co.campaign_id AND c.owner_id = $1 AND c.status = 'draft' AND c.deleted_at IS NULL",
    )
    .bind(owner)
    .bind(campaign)
    .bind(company)
    .execute(&ctx.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
