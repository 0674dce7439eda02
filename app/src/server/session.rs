//! Sessions stored in PostgreSQL behind an opaque cookie.
//!
//! Why not an off-the-shelf session store: a session here must be findable by its owner
//! (a password change ends the user's other sessions; deleting an account must leave no
//! row behind), which encoded session blobs do not allow. The table is tiny: a hash of
//! the cookie token, the owner, and the last time it was used (idle expiry).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use super::Settings;
use crate::error::AppError;
use crate::model::UserInfo;

pub const COOKIE: &str = "cellstack_session";

/// A signed-in request: who, and which session (so it can be kept or ended).
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: UserInfo,
    pub token_hash: Vec<u8>,
}

/// The session of the request being served, looked up at most once per request: a page
/// render asks for it in the header (who is signed in) and again in every server
/// function it calls. Provided per request by the server's router.
#[derive(Clone, Default)]
pub struct RequestAuth(std::sync::Arc<std::sync::Mutex<Option<Option<Auth>>>>);

impl RequestAuth {
    pub fn get(&self) -> Option<Option<Auth>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub fn set(&self, auth: Option<Auth>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(auth);
    }
}

fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token from a request's Cookie headers, if any.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// Creates a new session for `owner` and returns the cookie token. Always a fresh token,
/// so signing in rotates the session id.
pub async fn create(pool: &PgPool, owner: Uuid) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query("INSERT INTO sessions (token_hash, owner_id) VALUES ($1, $2)")
        .bind(hash_token(&token))
        .bind(owner)
        .execute(pool)
        .await?;
    Ok(token)
}

/// The user behind a cookie token, if the session exists and has not been idle too long.
/// Touches `last_seen` at most once a minute.
pub async fn lookup(pool: &PgPool, settings: &Settings, token: &str) -> Result<Option<Auth>, AppError> {
    let token_hash = hash_token(token);
    let idle = settings.session_idle.as_secs_f64();
    // A read on every request; the write that keeps the session alive only once a minute
    // (an UPDATE writes a new row version even when nothing changes).
    let row: Option<(Uuid, String, String, bool)> = sqlx::query_as(
        "SELECT u.id, u.email, u.plan, s.last_seen < now() - interval '1 minute'
           FROM sessions s JOIN users u ON u.id = s.owner_id
          WHERE s.token_hash = $1 AND s.last_seen > now() - make_interval(secs => $2)",
    )
    .bind(&token_hash)
    .bind(idle)
    .fetch_optional(pool)
    .await?;
    let Some((id, email, plan, stale)) = row else { return Ok(None) };
    if stale {
        sqlx::query("UPDATE sessions SET last_seen = now() WHERE token_hash = $1")
            .bind(&token_hash)
            .execute(pool)
            .await?;
    }
    Ok(Some(Auth { user: UserInfo { id, email, plan }, token_hash }))
}

/// The signed-in user of a request, or `Unauthorized`.
pub async fn require(pool: &PgPool, settings: &Settings, headers: &HeaderMap) -> Result<Auth, AppError> {
    match token_from_headers(headers) {
        Some(token) => lookup(pool, settings, &token).await?.ok_or(AppError::Unauthorized),
        None => Err(AppError::Unauthorized),
    }
}

pub async fn delete(pool: &PgPool, token_hash: &[u8]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// Ends every session of `owner` except the one given.
pub async fn delete_others(pool: &PgPool, owner: Uuid, keep: &[u8]) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE owner_id = $1 AND token_hash <> $2")
        .bind(owner)
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Removes sessions idle for longer than the limit (run by the maintenance task).
pub async fn purge_idle(pool: &PgPool, settings: &Settings) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen < now() - make_interval(secs => $1)")
        .bind(settings.session_idle.as_secs_f64())
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// `Set-Cookie` value carrying a new session token.
pub fn set_cookie(settings: &Settings, token: &str) -> String {
    let secure = if settings.cookie_secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        settings.session_idle.as_secs()
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(settings: &Settings) -> String {
    let secure = if settings.cookie_secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.append(http::header::COOKIE, "a=1; cellstack_session=tok123; b=2".parse().unwrap());
        assert_eq!(token_from_headers(&h).as_deref(), Some("tok123"));
        let mut empty = HeaderMap::new();
        empty.append(http::header::COOKIE, "cellstack_session=".parse().unwrap());
        assert_eq!(token_from_headers(&empty), None);
    }

    #[test]
    fn cookie_flags() {
        let mut s = Settings::for_tests();
        assert_eq!(
            set_cookie(&s, "t"),
            "cellstack_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600"
        );
        s.cookie_secure = true;
        assert!(set_cookie(&s, "t").ends_with("; Secure"));
        assert!(clear_cookie(&s).contains("Max-Age=0"));
    }
}
