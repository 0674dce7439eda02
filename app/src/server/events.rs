//! The campaign event log: appended in the same transaction as the change it reports;
//! `pg_notify` carries only `campaign:id`, delivered when that transaction commits.

use uuid::Uuid;

use crate::error::AppError;
use crate::model::CampaignEvent;

pub const CHANNEL: &str = "campaign_events";

/// Appends `event`. Completions of one campaign commit side by side, and an id is taken
/// at insert but becomes visible at commit: a stream reader past id N must never see
/// N-1 appear later. So ids are taken under a per-campaign lock held until commit, which
/// makes them visible in order. Every caller holds the campaign row lock already
/// (shared or exclusive), so the two locks are always taken in the same order.
pub async fn emit(
    conn: &mut sqlx::PgConnection,
    campaign: Uuid,
    owner: Uuid,
    event: &CampaignEvent,
) -> Result<i64, AppError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))")
        .bind(campaign)
        .execute(&mut *conn)
        .await?;
    let kind = match event {
        CampaignEvent::Lead { .. } => "lead",
        CampaignEvent::Status { .. } => "status",
        CampaignEvent::Rows { .. } => "rows",
    };
    let payload = serde_json::to_value(event).map_err(super::ctx::internal)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO campaign_events (campaign_id, owner_id, kind, payload) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(campaign)
    .bind(owner)
    .bind(kind)
    .bind(payload)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(format!("{campaign}:{id}"))
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Events of a campaign after `since`, owner-checked, oldest first.
pub async fn after(
    pool: &sqlx::PgPool,
    owner: Uuid,
    campaign: Uuid,
    since: i64,
    limit: i64,
) -> Result<Vec<(i64, CampaignEvent)>, AppError> {
    let rows: Vec<(i64, sqlx::types::Json<CampaignEvent>)> = sqlx::query_as(
        "SELECT id, payload FROM campaign_events
          WHERE owner_id = $1 AND campaign_id = $2 AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(owner)
    .bind(campaign)
    .bind(since)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, e)| (id, e.0)).collect())
}

pub async fn last_id(pool: &sqlx::PgPool, owner: Uuid, campaign: Uuid) -> Result<i64, AppError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT max(id) FROM campaign_events WHERE owner_id = $1 AND campaign_id = $2")
            .bind(owner)
            .bind(campaign)
            .fetch_one(pool)
            .await?;
    Ok(id.unwrap_or(0))
}
