//! Lead rows and lead details. One SELECT shape serves the campaign page, the event
//! payloads and the export, so they never disagree.

use sqlx::types::Json;
use uuid::Uuid;

use super::Ctx;
use crate::error::AppError;
use crate::import::Cell;
use crate::model::{CompanyRow, LeadDetail, OutreachVersion};
use crate::research::{Assessment, Contact, Signal, Source};

/// Columns of a [`CompanyRow`], from `companies co`.
pub const ROW_COLUMNS: &str = "co.id, co.name, co.domain, co.website_status, co.website_note, co.status,
    co.score, co.assessment->>'summary',
    (SELECT count(*) FROM jsonb_array_elements(co.signals) s WHERE s->>'kind' = 'funding'),
    (SELECT count(*) FROM jsonb_array_elements(co.signals) s WHERE s->>'kind' = 'hiring'),
    (SELECT count(*) FROM jsonb_array_elements(co.signals) s WHERE s->>'kind' = 'technology'),
    jsonb_array_length(co.contacts), co.error";

pub type RowSql = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<i16>,
    Option<String>,
    i64,
    i64,
    i64,
    i32,
    Option<String>,
);

pub fn from_sql(r: RowSql) -> CompanyRow {
    let (
        id,
        name,
        domain,
        website_status,
        website_note,
        status,
        score,
        summary,
        funding,
        hiring,
        technology,
        contacts,
        error,
    ) = r;
    CompanyRow {
        id,
        name,
        domain,
        website_status,
        website_note,
        status,
        score: score.map(|s| s.clamp(0, 100) as u8),
        summary,
        funding: funding as u32,
        hiring: hiring as u32,
        technology: technology as u32,
        contacts: contacts.max(0) as u32,
        error,
    }
}

/// All rows of a campaign, in file order.
pub async fn rows(ctx: &Ctx, owner: Uuid, campaign: Uuid) -> Result<Vec<CompanyRow>, AppError> {
    let rows: Vec<RowSql> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM companies co WHERE co.owner_id = $1 AND co.campaign_id = $2 ORDER BY co.position"
    ))
    .bind(owner)
    .bind(campaign)
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows.into_iter().map(from_sql).collect())
}

/// One row, inside a transaction (for event payloads).
pub async fn row_in(
    conn: &mut sqlx::PgConnection,
    owner: Uuid,
    company: i64,
) -> Result<CompanyRow, AppError> {
    let r: RowSql = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM companies co WHERE co.id = $1 AND co.owner_id = $2"
    ))
    .bind(company)
    .bind(owner)
    .fetch_one(conn)
    .await?;
    Ok(from_sql(r))
}

type DetailSql = (
    String,
    Option<Json<Assessment>>,
    Json<Vec<Signal>>,
    Json<Vec<Contact>>,
    Json<Vec<Source>>,
    Json<Vec<Cell>>,
    serde_json::Value,
);

pub async fn detail(ctx: &Ctx, owner: Uuid, campaign: Uuid, company: i64) -> Result<LeadDetail, AppError> {
    let row: Option<RowSql> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM companies co JOIN campaigns c ON c.id = co.campaign_id
          WHERE co.owner_id = $1 AND co.campaign_id = $2 AND co.id = $3 AND c.owner_id = $1 AND c.deleted_at IS NULL"
    ))
    .bind(owner)
    .bind(campaign)
    .bind(company)
    .fetch_optional(&ctx.pool)
    .await?;
    let row = from_sql(row.ok_or(AppError::NotFound)?);
    let (campaign_name, assessment, signals, contacts, sources, attributes, provenance): DetailSql =
        sqlx::query_as(
            "SELECT c.name, co.assessment, co.signals, co.contacts, co.sources, co.attributes, co.provenance
           FROM companies co JOIN campaigns c ON c.id = co.campaign_id
          WHERE co.owner_id = $1 AND co.id = $2",
        )
        .bind(owner)
        .bind(company)
        .fetch_one(&ctx.pool)
        .await?;
    Ok(LeadDetail {
        campaign_id: campaign,
        campaign_name,
        row,
        assessment: assessment.map(|a| a.0),
        signals: signals.0,
        contacts: contacts.0,
        sources: sources.0,
        attributes: attributes.0,
        outreach: versions(ctx, owner, company).await?,
        provenance,
    })
}

pub async fn versions(ctx: &Ctx, owner: Uuid, company: i64) -> Result<Vec<OutreachVersion>, AppError> {
    type VersionSql = (i32, String, String, String, Option<String>, String, String);
    let rows: Vec<VersionSql> = sqlx::query_as(
        "SELECT version, subject, body, kind, instruction, author, to_char(created_at, 'Mon FMDD, HH24:MI')
           FROM outreach_versions WHERE owner_id = $1 AND company_id = $2 ORDER BY version DESC",
    )
    .bind(owner)
    .bind(company)
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(version, subject, body, kind, instruction, author, created)| OutreachVersion {
            version,
            subject,
            body,
            kind,
            instruction,
            author,
            created,
        })
        .collect())
}
