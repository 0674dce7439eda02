use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use app::server::account;

use super::access;
use crate::AppState;

/// `GET /api/account/export.json`: all of the signed-in user's data as a download.
pub async fn account_export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = state.ctx();
    let auth = match access::signed_in(&state, &headers).await {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    match account::export(&ctx, &auth).await {
        Ok(doc) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"cellstack-export.json\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&doc).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
