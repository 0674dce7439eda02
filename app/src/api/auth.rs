//! Sign up, sign in, sign out, and who is signed in.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::UserInfo;

#[cfg(feature = "ssr")]
use crate::{
    api::guard,
    server::{Ctx, respond, session, users},
};

/// The signed-in user, or `None` for visitors.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    respond(
        async {
            let ctx = Ctx::get()?;
            Ok(guard::request_auth(&ctx).await?.map(|a| a.user))
        }
        .await,
    )
}

#[server(endpoint = "auth/signup")]
pub async fn signup(email: String, password: String, next: Option<String>) -> Result<UserInfo, AppError> {
    respond(
        async {
            let ctx = Ctx::get()?;
            let client = guard::client_addr().await;
            let (user, token) = users::signup(&ctx, &email, &password, client.as_deref()).await?;
            guard::set_cookie(&session::set_cookie(&ctx.settings, &token));
            leptos_axum::redirect(&guard::safe_next(next.as_deref()));
            Ok(user)
        }
        .await,
    )
}

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<UserInfo, AppError> {
    respond(
        async {
            let ctx = Ctx::get()?;
            let client = guard::client_addr().await;
            let (user, token) = users::login(&ctx, &email, &password, client.as_deref()).await?;
            // A session cookie that came with this request is replaced, and its row removed.
            if let Some(old) = session::token_from_headers(&guard::headers().await?)
                && let Some(a) = session::lookup(&ctx.pool, &ctx.settings, &old).await?
            {
                session::delete(&ctx.pool, &a.token_hash).await?;
            }
            guard::set_cookie(&session::set_cookie(&ctx.settings, &token));
            leptos_axum::redirect(&guard::safe_next(next.as_deref()));
            Ok(user)
        }
        .await,
    )
}

/// Ends the session server-side and clears the cookie.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    respond(
        async {
            let (ctx, auth) = guard::signed_in().await?;
            session::delete(&ctx.pool, &auth.token_hash).await?;
            guard::set_cookie(&session::clear_cookie(&ctx.settings));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}
