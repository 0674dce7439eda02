//! Provider answers cached by request hash (per owner) for a configurable time, so a
//! retried step or a re-run does not pay twice.

use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// A stable hash of what was asked of whom.
pub fn key(provider: &str, request: &Value) -> String {
    let mut h = Sha256::new();
    h.update(provider.as_bytes());
    h.update([0]);
    h.update(request.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn get(pool: &PgPool, owner: Uuid, key: &str, ttl: Duration) -> Option<Value> {
    if ttl.is_zero() {
        return None;
    }
    let found = sqlx::query_scalar(
        "SELECT response FROM provider_cache
          WHERE owner_id = $1 AND request_hash = $2 AND created_at > now() - make_interval(secs => $3)",
    )
    .bind(owner)
    .bind(key)
    .bind(ttl.as_secs_f64())
    .fetch_optional(pool)
    .await;
    match found {
        Ok(v) => v,
        Err(e) => {
            // A cache that cannot be read costs money, not correctness.
            tracing::warn!(error = %e, "provider cache read failed");
            None
        }
    }
}

pub async fn put(pool: &PgPool, owner: Uuid, key: &str, provider: &str, response: &Value) {
    let done = sqlx::query(
        "INSERT INTO provider_cache (owner_id, request_hash, provider, response) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner_id, request_hash) DO UPDATE SET response = $4, created_at = now()",
    )
    .bind(owner)
    .bind(key)
    .bind(provider)
    .bind(response)
    .execute(pool)
    .await;
    if let Err(e) = done {
        tracing::warn!(error = %e, "provider cache write failed");
    }
}

/// Drops entries older than `ttl` (maintenance).
pub async fn purge(pool: &PgPool, ttl: Duration) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM provider_cache WHERE created_at < now() - make_interval(secs => $1)")
        .bind(ttl.as_secs_f64())
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
