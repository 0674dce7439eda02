//! Campaign controls and lead data: start, pause, resume, cancel, retry, re-score; the
//! lead page.

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::LeadDetail;

#[cfg(feature = "ssr")]
use crate::{
    api::guard,
    server::{leads, respond, runs},
};

/// One control action on a campaign: `start`, `pause`, `resume`, `cancel`, `retry` or
/// `rescore`. Returns how many rows were (re)queued, where that applies.
#[server(endpoint = "campaigns/control")]
pub async fn control_campaign(id: Uuid, action: String) -> Result<u64, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            let owner = auth.user.id;
            match action.as_str() {
                "start" => runs::start(&ctx, owner, id).await.map(|_| 0),
                "pause" => runs::pause(&ctx, owner, id).await.map(|_| 0),
                "resume" => runs::resume(&ctx, owner, id).await.map(|_| 0),
                "cancel" => runs::cancel(&ctx, owner, id).await.map(|_| 0),
                "retry" => runs::retry_failed(&ctx, owner, id).await,
                "rescore" => runs::rescore(&ctx, owner, id).await,
                _ => Err(AppError::field("action", "Unknown action.")),
            }
        }
        .await,
    )
}

#[server(endpoint = "leads/get")]
pub async fn get_lead(campaign: Uuid, lead: i64) -> Result<LeadDetail, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            leads::detail(&ctx, auth.user.id, campaign, lead).await
        }
        .await,
    )
}
