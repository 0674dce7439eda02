//! Outreach revisions of a lead: instruction, manual edit, restore.

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    api::guard,
    server::{outreach, respond},
};

/// Returns the new version number.
#[server(endpoint = "outreach/revise")]
pub async fn revise_outreach(campaign: Uuid, lead: i64, instruction: String) -> Result<i32, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            outreach::revise(&ctx, auth.user.id, &auth.user.email, campaign, lead, &instruction).await
        }
        .await,
    )
}

#[server(endpoint = "outreach/edit")]
pub async fn edit_outreach(
    campaign: Uuid,
    lead: i64,
    subject: String,
    body: String,
) -> Result<i32, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            outreach::edit(&ctx, auth.user.id, &auth.user.email, campaign, lead, &subject, &body).await
        }
        .await,
    )
}

#[server(endpoint = "outreach/restore")]
pub async fn restore_outreach(campaign: Uuid, lead: i64, version: i32) -> Result<i32, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            outreach::restore(&ctx, auth.user.id, &auth.user.email, campaign, lead, version).await
        }
        .await,
    )
}
