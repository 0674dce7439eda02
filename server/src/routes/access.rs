//! The first steps every plain route shares: the session, and ownership of the campaign
//! in the path. Errors come back as ready responses with the matching status.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use app::error::AppError;
use app::server::session::{self, Auth};

use crate::AppState;

/// A plain-text error response with the status that matches the error.
pub fn error_response(e: &AppError) -> Response {
    (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string())
        .into_response()
}

/// The signed-in user of this request, or a 401 response.
pub async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Auth, Response> {
    session::require(&state.pool, &state.settings, headers).await.map_err(|e| error_response(&e))
}

/// The name of the user's (not deleted) campaign `id`, or a 404 response — also for
/// campaigns that exist but belong to someone else.
pub async fn own_campaign(state: &AppState, owner: Uuid, id: Uuid) -> Result<String, Response> {
    let name: Result<Option<String>, sqlx::Error> = sqlx::query_scalar(
        "SELECT name FROM campaigns WHERE owner_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(owner)
    .bind(id)
    .fetch_optional(&state.pool)
    .await;
    match name {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err(error_response(&AppError::NotFound)),
        Err(e) => {
            tracing::error!(error = %e, "campaign lookup failed");
            Err(error_response(&AppError::Internal))
        }
    }
}
