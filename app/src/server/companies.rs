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
        notes.push(format!(
            "Row {row} “{name}”: website not usable ({reason}); scored from the file's columns only."
        ));
    }
    if !o.skipped_no_name.is_empty() {
        // Row numbers, not a count: "Skipped 2 rows without … (rows 6, 9)".
        let mut rows = o.skipped_no_name.clone();
        rows.sort_unstable();
        rows.dedup();
        let list: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        notes.push(match rows.len() {
            1 => format!("Skipped 1 row without a name or website (row {}).", list[0]),
            n => format!("Skipped {n} rows without a name or website (rows {}).", list.join(", ")),
        });
    }
    for (row, note) in &o.flagged {
        notes.push(format!("Row {row}: {note}."));
    }
    notes.extend(o.warnings.iter().cloned());
    notes
}

/// Adds the companies of an importer outcome to a draft campaign with one COPY.
/// Companies whose domain is already in the campaign are counted, not added twice.
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
    // Companies already in the campaign (same domain) are skipped, not duplicated. The
    // campaign row is locked, so no concurrent import can add the same domain meanwhile.
    let existing_domains: Vec<String> = sqlx::query_scalar(
        "SELECT domain FROM companies WHERE owner_id = $1 AND campaign_id = $2 AND domain IS NOT NULL",
    )
    .bind(owner)
    .bind(campaign)
    .fetch_all(&mut *tx)
    .await?;
    let existing_domains: std::collections::HashSet<String> = existing_domains.into_iter().collect();
    let n = outcome.companies.len();
    let fresh: Vec<&crate::import::Company> = outcome
        .companies
        .iter()
        .filter(|c| c.domain().is_none_or(|d| !existing_domains.contains(d)))
        .collect();
    // One COPY for the whole batch: the same path as `psql \copy`, in this transaction.
    let mut csv =
        csv::WriterBuilder::new().has_headers(false).from_writer(Vec::with_capacity(fresh.len() * 256));
    let (campaign_s, owner_s) = (campaign.to_string(), owner.to_string());
    for (i, c) in fresh.iter().enumerate() {
        let (status, domain, raw, note) = match &c.website {
            Website::Missing => ("missing", "", "", ""),
            Website::Domain { domain } => ("domain", domain.as_str(), "", ""),
            Website::Invalid { raw, reason } => ("invalid", "", raw.as_str(), reason.as_str()),
        };
        let fields = serde_json::to_string(&c.fields).map_err(super::ctx::internal)?;
        let attrs = serde_json::to_string(&c.attributes).map_err(super::ctx::internal)?;
        csv.write_record([
            campaign_s.as_str(),
            owner_s.as_str(),
            &(next_pos + i as i32).to_string(),
            &c.source_row.to_string(),
            c.name.as_str(),
            domain,
            status,
            raw,
            note,
            fields.as_str(),
            attrs.as_str(),
        ])
        .map_err(super::ctx::internal)?;
    }
    let bytes = csv.into_inner().map_err(|e| super::ctx::internal(e.error()))?;
    let mut copy = tx
        .copy_in_raw(
            "COPY companies (campaign_id, owner_id, position, source_row, name, domain, website_status,
                             website_raw, website_note, fields, attributes) FROM STDIN WITH (FORMAT csv)",
        )
        .await?;
    copy.send(bytes).await?;
    let inserted = copy.finish().await?;
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
