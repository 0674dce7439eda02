use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;

/// 200 when the database answers within two seconds, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.pool);
    match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(1)) => (StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}
