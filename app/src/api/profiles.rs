//! Company profiles: list, read, save, delete.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{Profile, ProfileInput};

#[cfg(feature = "ssr")]
use crate::{
    api::guard,
    server::{profiles, respond},
};

#[server(endpoint = "profiles/list")]
pub async fn list_profiles() -> Result<Vec<Profile>, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            profiles::list(&ctx, auth.user.id).await
        }
        .await,
    )
}

#[server(endpoint = "profiles/get")]
pub async fn get_profile(id: Uuid) -> Result<Profile, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            profiles::get(&ctx, auth.user.id, id).await
        }
        .await,
    )
}

#[server(endpoint = "profiles/save", input = Json)]
pub async fn save_profile(id: Option<Uuid>, input: ProfileInput) -> Result<Uuid, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            profiles::save(&ctx, auth.user.id, id, &input).await
        }
        .await,
    )
}

#[server(endpoint = "profiles/delete")]
pub async fn delete_profile(id: Uuid) -> Result<(), AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            profiles::delete(&ctx, auth.user.id, id).await
        }
        .await,
    )
}
