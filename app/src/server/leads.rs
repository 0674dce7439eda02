//! Lead rows and lead details. One SELECT shape serves the campaign page, the event
//! payloads and the export, so they never disagree.

use sqlx::types::Json;
use uuid::Uuid;

use super::Ctx;
use crate::error::AppError;
use crate::import::Cell;
use crate::model::{CompanyRow, LeadDetail, OutreachVersion};
use crate::research::{Assessment, Contact, Signal, Source};

/// Columns of a [`CompanyRow`], from `companies co`, named for [`RowSql`].
pub const ROW_COLUMNS: &str = "co.id, co.name, co.domain, co.website_status, co.website_note, co.status,
    co.score, co.assessment->>'summary' AS summary,
    (SELECT count(*) FROM jsonb_array_elements(co.signals) s WHERE s->>'kind' = 'funding') AS funding,
    (SELECT count(*) FROM jsonb_array_elements(co.signals) s WHERE s->>'kind' = 'hiring') AS hiring,
    (SELECT count(*) FROM jsonb_array_elements(co.signals) s WHERE s->>'kind' = 'technology') AS technology,
    jsonb_array_length(co.contacts) AS contacts, co.error, round(co.cost_usd * 1e6)::int8 AS cost_micros";

/// One row as selected by [`ROW_COLUMNS`] (the browser-side [`CompanyRow`] has no sqlx).
#[derive(sqlx::FromRow)]
pub struct RowSql {
    id: i64,
    name: String,
    domain: Option<String>,
    website_status: String,
    website_note: Option<String>,
    status: String,
    score: Option<i16>,
    summary: Option<String>,
    funding: i64,
    hiring: i64,
    technology: i64,
    contacts: i32,
    error: Option<String>,
    cost_micros: i64,
}

pub fn from_sql(r: RowSql) -> CompanyRow {
    CompanyRow {
        id: r.id,
        name: r.name,
        domain: r.domain,
        website_status: r.website_status,
        website_note: r.website_note,
        status: r.status,
        score: r.score.map(|s| s.clamp(0, 100) as u8),
        summary: r.summary,
        funding: r.funding as u32,
        hiring: r.hiring as u32,
        technology: r.technology as u32,
        contacts: r.contacts.max(0) as u32,
        error: r.error,
        cost_micros: r.cost_micros,
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
