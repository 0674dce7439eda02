//! Shared first steps of every server function: context, session, client address.

use http::HeaderMap;
use leptos::prelude::*;

use crate::error::AppError;
use crate::server::Ctx;
use crate::server::session::{self, Auth};

/// The request's headers (for the session cookie).
pub async fn headers() -> Result<HeaderMap, AppError> {
    leptos_axum::extract::<HeaderMap>().await.map_err(|e| {
        tracing::error!(error = %e, "could not read request headers");
        AppError::Internal
    })
}

/// Context plus the signed-in user, or `Unauthorized`.
pub async fn signed_in() -> Result<(Ctx, Auth), AppError> {
    let ctx = Ctx::get()?;
    let auth = request_auth(&ctx).await?.ok_or(AppError::Unauthorized)?;
    Ok((ctx, auth))
}

/// The request's session (`None` for a visitor), looked up once per request.
pub async fn request_auth(ctx: &Ctx) -> Result<Option<Auth>, AppError> {
    let cache = use_context::<session::RequestAuth>();
    if let Some(hit) = cache.as_ref().and_then(session::RequestAuth::get) {
        return Ok(hit);
    }
    let auth = match session::token_from_headers(&headers().await?) {
        Some(token) => session::lookup(&ctx.pool, &ctx.settings, &token).await?,
        None => None,
    };
    if let Some(cache) = cache {
        cache.set(auth.clone());
    }
    Ok(auth)
}

/// The client's address as the server saw it (absent in in-process tests).
pub async fn client_addr() -> Option<String> {
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0.ip().to_string())
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(opts), Ok(v)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
    {
        opts.append_header(http::header::SET_COOKIE, v);
    }
}

/// Only same-site paths are followed after sign-in (no open redirects): a path of
/// printable ASCII without whitespace, starting with one `/` (not `//`, not `/\\`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2000
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_local_path_or_home() {
        assert_eq!(safe_next(Some("/campaigns/1?tab=a")), "/campaigns/1?tab=a");
        for bad in [
            "//evil.example",
            "/\tevil",
            "/\t/evil.example",
            "https://evil.example",
            "/\\evil",
            "/a b",
            "/é",
            "/x\ny",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
