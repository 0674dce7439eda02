//! Campaigns: list, read, create, edit, soft delete and undo, companies by hand.
//! (CSV files are uploaded to the `/api/campaigns/{id}/import` route.)

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{AddReport, CampaignDetail, CampaignInput, CampaignSummary};

#[cfg(feature = "ssr")]
use crate::{
    api::guard,
    import,
    server::{campaigns, companies, respond},
};

#[server(endpoint = "campaigns/list")]
pub async fn list_campaigns() -> Result<Vec<CampaignSummary>, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            campaigns::list(&ctx, auth.user.id).await
        }
        .await,
    )
}

#[server(endpoint = "campaigns/get")]
pub async fn get_campaign(id: Uuid) -> Result<CampaignDetail, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            campaigns::detail(&ctx, auth.user.id, &auth.user.plan, id).await
        }
        .await,
    )
}

#[server(endpoint = "campaigns/create", input = Json)]
pub async fn create_campaign(input: CampaignInput) -> Result<Uuid, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            campaigns::create(&ctx, auth.user.id, &input).await
        }
        .await,
    )
}

#[server(endpoint = "campaigns/update", input = Json)]
/// Returns true when the campaign had started (the page then offers a re-score).
pub async fn update_campaign(id: Uuid, input: CampaignInput) -> Result<bool, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            campaigns::update(&ctx, auth.user.id, id, &input).await
        }
        .await,
    )
}

#[server(endpoint = "campaigns/delete")]
pub async fn delete_campaign(id: Uuid) -> Result<(), AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            campaigns::soft_delete(&ctx, auth.user.id, id).await
        }
        .await,
    )
}

#[server(endpoint = "campaigns/restore")]
pub async fn restore_campaign(id: Uuid) -> Result<(), AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            campaigns::restore(&ctx, auth.user.id, id).await
        }
        .await,
    )
}

/// Adds companies typed or pasted by hand: one per line, "Name, website" or a domain.
/// Same normalization and dedupe as CSV files (the importer's code).
#[server(endpoint = "campaigns/add-companies")]
pub async fn add_companies(id: Uuid, text: String) -> Result<AddReport, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            let outcome = import::parse_manual(&text).map_err(|e| AppError::field("text", e.to_string()))?;
            if outcome.companies.is_empty() {
                return Err(AppError::field(
                    "text",
                    "Enter at least one company: a name, a website, or both.",
                ));
            }
            let notes = companies::outcome_notes(&outcome);
            companies::add(&ctx, auth.user.id, &auth.user.plan, id, &outcome, notes).await
        }
        .await,
    )
}

#[server(endpoint = "campaigns/remove-company")]
pub async fn remove_company(id: Uuid, company: i64) -> Result<(), AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            companies::remove(&ctx, auth.user.id, id, company).await
        }
        .await,
    )
}
