//! Campaigns: validation, plan limits, list, detail, soft delete and purge.
//! Every query filters by owner.

use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Ctx;
use crate::error::{AppError, Validator};
use crate::model::{CampaignDetail, CampaignInput, CampaignSummary, Spend};
use crate::research::Persona;

pub const MAX_PERSONAS: usize = 10;
pub const MAX_LIST: usize = 20;

fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
            out.push(item.to_string());
        }
    }
    out
}

pub fn validate(input: &CampaignInput) -> Result<CampaignInput, AppError> {
    let personas: Vec<Persona> = input
        .personas
        .iter()
        .map(|p| Persona { title: p.title.trim().into(), description: p.description.trim().into() })
        .filter(|p| !p.title.is_empty() || !p.description.is_empty())
        .collect();
    let roles = clean_list(&input.hiring_roles);
    let tools = clean_list(&input.tools);
    let mut v = Validator::default();
    v.text("name", "Campaign name", &input.name, 1, 120)
        .text("icp", "Ideal customer description", &input.icp, 10, 4000)
        .check(!personas.is_empty(), "personas", "Add at least one persona (who you want to reach).")
        .check(personas.len() <= MAX_PERSONAS, "personas", format!("At most {MAX_PERSONAS} personas."))
        .check(
            personas.iter().all(|p| (1..=120).contains(&p.title.chars().count())),
            "personas",
            "Each persona needs a title of at most 120 characters.",
        )
        .check(
            personas.iter().all(|p| p.description.chars().count() <= 1000),
            "personas",
            "A persona description can be at most 1000 characters.",
        )
        .check(
            input.funding_months.is_none_or(|m| (1..=60).contains(&m)),
            "funding_months",
            "Funding recency must be between 1 and 60 months.",
        )
        .check(roles.len() <= MAX_LIST, "hiring_roles", format!("At most {MAX_LIST} hiring roles."))
        .check(
            roles.iter().all(|r| r.chars().count() <= 80),
            "hiring_roles",
            "A hiring role can be at most 80 characters.",
        )
        .check(
            input.budget_cents.is_none_or(|c| (1..=10_000_000).contains(&c)),
            "budget",
            "A budget must be between $0.01 and $100,000.",
        )
        .check(tools.len() <= MAX_LIST, "tools", format!("At most {MAX_LIST} tools."))
        .check(
            tools.iter().all(|t| t.chars().count() <= 80),
            "tools",
            "A tool name can be at most 80 characters.",
        );
    v.finish()?;
    Ok(CampaignInput {
        name: input.name.trim().into(),
        icp: input.icp.trim().into(),
        personas,
        funding_months: input.funding_months,
        hiring_roles: roles,
        tools,
        profile_id: input.profile_id,
        budget_cents: input.budget_cents,
    })
}

async fn check_profile(ctx: &Ctx, owner: Uuid, profile: Option<Uuid>) -> Result<(), AppError> {
    if let Some(p) = profile {
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM profiles WHERE owner_id = $1 AND id = $2")
            .bind(owner)
            .bind(p)
            .fetch_optional(&ctx.pool)
            .await?;
        if found.is_none() {
            return Err(AppError::field("profile_id", "Choose one of your company profiles."));
        }
    }
    Ok(())
}

/// Creates a draft campaign, refusing it when the month's plan limit is reached. The
/// user's row is locked for the check, so concurrent creates are counted one by one.
pub async fn create(ctx: &Ctx, owner: Uuid, input: &CampaignInput) -> Result<Uuid, AppError> {
    let c = validate(input)?;
    check_profile(ctx, owner, c.profile_id).await?;
    let mut tx = ctx.pool.begin().await?;
    let plan_name: String = sqlx::query_scalar("SELECT plan FROM users WHERE id = $1 FOR UPDATE")
        .bind(owner)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let (used, month): (i64, String) = sqlx::query_as(
        "SELECT count(*), to_char(now(), 'FMMonth YYYY') FROM campaigns
          WHERE owner_id = $1 AND created_at >= date_trunc('month', now())",
    )
    .bind(owner)
    .fetch_one(&mut *tx)
    .await?;
    let plan = ctx.settings.plan(&plan_name);
    if used >= plan.campaigns_per_month as i64 {
        return Err(AppError::Refused(format!(
            "Your {} plan allows {} campaigns a month, and you have created {} in {}.",
            plan.name, plan.campaigns_per_month, used, month
        )));
    }
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO campaigns (id, owner_id, name, icp, personas, funding_months, hiring_roles, tools, profile_id,
                                budget_usd)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::float8 / 100)",
    )
    .bind(id)
    .bind(owner)
    .bind(&c.name)
    .bind(&c.icp)
    .bind(Json(&c.personas))
    .bind(c.funding_months.map(|m| m as i32))
    .bind(Json(&c.hiring_roles))
    .bind(Json(&c.tools))
    .bind(c.profile_id)
    .bind(c.budget_cents.map(|c| c as i32))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a campaign's settings. Returns true when it has started already: its existing
/// results were scored against the old settings, so the page offers a re-score.
pub async fn update(ctx: &Ctx, owner: Uuid, id: Uuid, input: &CampaignInput) -> Result<bool, AppError> {
    let c = validate(input)?;
    check_profile(ctx, owner, c.profile_id).await?;
    // One statement: a delete that lands between a read and a write cannot be edited.
    let started: Option<bool> = sqlx::query_scalar(
        "UPDATE campaigns SET name = $3, icp = $4, personas = $5, funding_months = $6, hiring_roles = $7,
                tools = $8, profile_id = $9, budget_usd = $10::float8 / 100
          WHERE owner_id = $1 AND id = $2 AND deleted_at IS NULL
         RETURNING status <> 'draft'",
    )
    .bind(owner)
    .bind(id)
    .bind(&c.name)
    .bind(&c.icp)
    .bind(Json(&c.personas))
    .bind(c.funding_months.map(|m| m as i32))
    .bind(Json(&c.hiring_roles))
    .bind(Json(&c.tools))
    .bind(c.profile_id)
    .bind(c.budget_cents.map(|c| c as i32))
    .fetch_optional(&ctx.pool)
    .await?;
    started.ok_or(AppError::NotFound)
}

pub async fn list(ctx: &Ctx, owner: Uuid) -> Result<Vec<CampaignSummary>, AppError> {
    let rows: Vec<(Uuid, String, String, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name, c.status,
                (SELECT count(*) FROM companies co WHERE co.campaign_id = c.id AND co.owner_id = $1),
                (SELECT count(*) FROM companies co WHERE co.campaign_id = c.id AND co.owner_id = $1 AND co.status = 'done'),
                (SELECT count(*) FROM companies co WHERE co.campaign_id = c.id AND co.owner_id = $1 AND co.status = 'failed'),
                to_char(c.created_at, 'Mon FMDD, YYYY')
           FROM campaigns c
          WHERE c.owner_id = $1 AND c.deleted_at IS NULL
          ORDER BY c.created_at DESC, c.id",
    )
    .bind(owner)
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, status, companies, done, failed, created)| CampaignSummary {
            id,
            name,
            status,
            companies: companies as u32,
            done: done as u32,
            failed: failed as u32,
            created,
        })
        .collect())
}

type DetailRow = (
    String,
    String,
    Json<Vec<Persona>>,
    Option<i32>,
    Json<Vec<String>>,
    Json<Vec<String>>,
    Option<Uuid>,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<Json<Vec<String>>>,
    Option<i32>,
    Json<[i64; 4]>,
);

pub async fn detail(ctx: &Ctx, owner: Uuid, plan: &str, id: Uuid) -> Result<CampaignDetail, AppError> {
    // The event id first: an event that commits while the rest is read is then replayed
    // by the page's stream (events carry whole rows, so a replay is harmless) rather than
    // counted as seen and never shown.
    let last_event_id = super::events::last_id(&ctx.pool, owner, id).await?;
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT c.name, c.icp, c.personas, c.funding_months, c.hiring_roles, c.tools, c.profile_id,
                COALESCE(p.name, c.profile_snapshot->>'name'), c.status, c.status_reason,
                to_char(c.created_at, 'Mon FMDD, YYYY'), c.import_summary,
                round(c.budget_usd * 100)::int4,
                (SELECT jsonb_build_array(COALESCE(round(sum(cost_usd) * 1e6), 0)::int8,
                                          COALESCE(sum(tokens_in), 0)::int8, COALESCE(sum(tokens_out), 0)::int8,
                                          count(*)::int8)
                   FROM companies WHERE campaign_id = c.id AND owner_id = c.owner_id)
           FROM campaigns c LEFT JOIN profiles p ON p.id = c.profile_id AND p.owner_id = $1
          WHERE c.owner_id = $1 AND c.id = $2 AND c.deleted_at IS NULL",
    )
    .bind(owner)
    .bind(id)
    .fetch_optional(&ctx.pool)
    .await?;
    let Some((
        name,
        icp,
        personas,
        funding,
        roles,
        tools,
        profile_id,
        profile_name,
        status,
        reason,
        created,
        notes,
        budget,
        spent,
    )) = row
    else {
        return Err(AppError::NotFound);
    };
    let companies = super::leads::rows(ctx, owner, id).await?;
    Ok(CampaignDetail {
        id,
        input: CampaignInput {
            name,
            icp,
            personas: personas.0,
            funding_months: funding.map(|m| m as u32),
            hiring_roles: roles.0,
            tools: tools.0,
            profile_id,
            budget_cents: budget.map(|b| b.max(0) as u32),
        },
        profile_name,
        status,
        status_reason: reason,
        created,
        companies,
        last_event_id,
        company_limit: ctx.settings.plan(plan).companies_per_campaign,
        import_notes: notes.map(|n| n.0).unwrap_or_default(),
        spend: Spend {
            spent_micros: spent.0[0],
            tokens_in: spent.0[1],
            tokens_out: spent.0[2],
            estimate_micros: spent.0[3] * ctx.settings.per_company_micros,
            providers: ctx.settings.research_label.clone(),
        },
    })
}

/// Hides a campaign at once; it can be restored until it is purged. A running campaign
/// is paused (with an event, so an open page shows it) rather than left spending.
pub async fn soft_delete(ctx: &Ctx, owner: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = ctx.pool.begin().await?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM campaigns WHERE owner_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE",
    )
    .bind(owner)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let status = status.ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE campaigns SET deleted_at = now() WHERE owner_id = $1 AND id = $2")
        .bind(owner)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if status == "running" {
        let reason = "Paused because the campaign was deleted. Restore it, then resume.";
        super::runs::set_status(&mut tx, owner, id, "paused", Some(reason)).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn restore(ctx: &Ctx, owner: Uuid, id: Uuid) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE campaigns SET deleted_at = NULL WHERE owner_id = $1 AND id = $2 AND deleted_at IS NOT NULL",
    )
    .bind(owner)
    .bind(id)
    .execute(&ctx.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Removes campaigns soft-deleted before `now - days`, with everything hanging off them,
/// `batch` campaigns per statement so no single transaction grows large. `now` is a
/// parameter so tests control the clock. Returns how many campaigns were purged.
pub async fn purge(ctx: &Ctx, now: OffsetDateTime, days: u32, batch: i64) -> Result<u64, AppError> {
    let cutoff = now - time::Duration::days(days as i64);
    let mut total = 0;
    loop {
        let done = sqlx::query(
            "DELETE FROM campaigns WHERE id IN (
                SELECT id FROM campaigns WHERE deleted_at IS NOT NULL AND deleted_at < $1 LIMIT $2)",
        )
        .bind(cutoff)
        .bind(batch)
        .execute(&ctx.pool)
        .await?
        .rows_affected();
        total += done;
        if done < batch as u64 {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages_and_cleaning() {
        let err = validate(&CampaignInput::default()).unwrap_err();
        assert_eq!(err.for_field("name").as_deref(), Some("Campaign name is required."));
        assert_eq!(err.for_field("icp").as_deref(), Some("Ideal customer description is required."));
        assert_eq!(
            err.for_field("personas").as_deref(),
            Some("Add at least one persona (who you want to reach).")
        );
        let bad = validate(&CampaignInput {
            name: "Q1".into(),
            icp: "B2B SaaS in the US".into(),
            personas: vec![Persona { title: "CTO".into(), description: String::new() }],
            funding_months: Some(0),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            bad.for_field("funding_months").as_deref(),
            Some("Funding recency must be between 1 and 60 months.")
        );
        let ok = validate(&CampaignInput {
            name: " Q1 ".into(),
            icp: "B2B SaaS in the US".into(),
            personas: vec![
                Persona { title: " CTO ".into(), description: "Owns the platform".into() },
                Persona { title: " ".into(), description: " ".into() },
            ],
            funding_months: Some(12),
            hiring_roles: vec!["Data Engineer".into(), "data engineer".into(), " ".into()],
            tools: vec!["Snowflake".into()],
            profile_id: None,
            budget_cents: Some(2500),
        })
        .unwrap();
        assert_eq!(ok.budget_cents, Some(2500));
        let bad = validate(&CampaignInput { budget_cents: Some(0), ..ok.clone() }).unwrap_err();
        assert_eq!(bad.for_field("budget").as_deref(), Some("A budget must be between $0.01 and $100,000."));
        assert_eq!(ok.name, "Q1");
        assert_eq!(
            ok.personas,
            vec![Persona { title: "CTO".into(), description: "Owns the platform".into() }]
        );
        assert_eq!(ok.hiring_roles, vec!["Data Engineer".to_string()]);
    }
}
