//! The account page: overview, password change, erasure. (The JSON export is an HTTP
//! route, `/api/account/export.json`, so the browser can download it.)

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AccountOverview;

#[cfg(feature = "ssr")]
use crate::{
    api::guard,
    server::{account, respond, session, users},
};

#[server(endpoint = "account/overview")]
pub async fn get_account_overview() -> Result<AccountOverview, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            account::overview(&ctx, &auth).await
        }
        .await,
    )
}

/// Returns how many other sessions were ended.
#[server(endpoint = "account/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<u64, AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            users::change_password(&ctx, &auth, &current_password, &new_password).await
        }
        .await,
    )
}

#[server(endpoint = "account/delete")]
pub async fn delete_account(confirm_email: String) -> Result<(), AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            account::delete(&ctx, &auth, &confirm_email).await?;
            guard::set_cookie(&session::clear_cookie(&ctx.settings));
            leptos_axum::redirect("/?deleted=1");
            Ok(())
        }
        .await,
    )
}
