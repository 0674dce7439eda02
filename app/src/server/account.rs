//! The user's data rights: what the account page shows, export of everything, erasure.

use super::Ctx;
use super::session::Auth;
use crate::error::AppError;
use crate::model::{AccountOverview, PlanUsage};

/// Plan, this calendar month's usage and a few counts.
pub async fn overview(ctx: &Ctx, auth: &Auth) -> Result<AccountOverview, AppError> {
    let (member_since, month, used, profiles, campaigns): (String, String, i64, i64, i64) = sqlx::query_as(
        "SELECT to_char(u.created_at, 'FMMonth FMDD, YYYY'),
                to_char(now(), 'FMMonth YYYY'),
                (SELECT count(*) FROM campaigns c WHERE c.owner_id = u.id
                    AND c.created_at >= date_trunc('month', now())),
                (SELECT count(*) FROM profiles p WHERE p.owner_id = u.id),
                (SELECT count(*) FROM campaigns c WHERE c.owner_id = u.id AND c.deleted_at IS NULL)
           FROM users u WHERE u.id = $1",
    )
    .bind(auth.user.id)
    .fetch_optional(&ctx.pool)
    .await?
    .ok_or(AppError::Unauthorized)?;
    let plan = ctx.settings.plan(&auth.user.plan);
    Ok(AccountOverview {
        user: auth.user.clone(),
        usage: PlanUsage {
            plan: plan.name.clone(),
            campaigns_per_month: plan.campaigns_per_month,
            companies_per_campaign: plan.companies_per_campaign,
            campaigns_this_month: used as u32,
            month,
        },
        member_since,
        profiles: profiles as u32,
        campaigns: campaigns as u32,
    })
}

/// Everything the user owns as one JSON document. Shape (documented in docs/export.md):
/// `{format, version, exported_at, user, profiles[], campaigns[{..., companies[{...,
/// outreach_versions[]}]}]}`. Owner ids are left out; every nested query filters by owner.
pub async fn export(ctx: &Ctx, auth: &Auth) -> Result<serde_json::Value, AppError> {
    let doc: Option<serde_json::Value> = sqlx::query_scalar(
        r#"SELECT jsonb_build_object(
            'format', 'cellstack-export',
            'version', 1,
            'exported_at', now(),
            'user', jsonb_build_object('id', u.id, 'email', u.email, 'plan', u.plan, 'created_at', u.created_at),
            'profiles', COALESCE((
                SELECT jsonb_agg(to_jsonb(p) - 'owner_id' ORDER BY p.created_at)
                  FROM profiles p WHERE p.owner_id = u.id), '[]'::jsonb),
            'campaigns', COALESCE((
                SELECT jsonb_agg((to_jsonb(c) - 'owner_id') || jsonb_build_object('companies', COALESCE((
                    SELECT jsonb_agg((to_jsonb(co) - 'owner_id' - 'campaign_id') || jsonb_build_object(
                        'outreach_versions', COALESCE((
                            SELECT jsonb_agg(to_jsonb(o) - 'owner_id' - 'company_id' ORDER BY o.version)
                              FROM outreach_versions o
                             WHERE o.company_id = co.id AND o.owner_id = u.id), '[]'::jsonb))
                        ORDER BY co.position)
                      FROM companies co WHERE co.campaign_id = c.id AND co.owner_id = u.id), '[]'::jsonb))
                    ORDER BY c.created_at)
                  FROM campaigns c WHERE c.owner_id = u.id), '[]'::jsonb)
        ) FROM users u WHERE u.id = $1"#,
    )
    .bind(auth.user.id)
    .fetch_optional(&ctx.pool)
    .await?;
    doc.ok_or(AppError::Unauthorized)
}

/// Deletes the account and everything it owns, in one transaction. `confirm` must be
/// the account's email.
pub async fn delete(ctx: &Ctx, auth: &Auth, confirm: &str) -> Result<(), AppError> {
    if confirm.trim().to_lowercase() != auth.user.email {
        return Err(AppError::field("confirm_email", "Type your account's email exactly to confirm."));
    }
    let mut tx = ctx.pool.begin().await?;
    // Every owned table cascades from users (see migrations); sessions included.
    let gone = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(auth.user.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(format!("email:{}", auth.user.email))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if gone == 0 {
        return Err(AppError::Unauthorized);
    }
    tracing::info!(user = %auth.user.id, "account deleted");
    Ok(())
}
