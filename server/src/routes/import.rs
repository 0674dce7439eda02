//! `POST /api/campaigns/{id}/import?mapping=…`: the CSV file itself as the body. The
//! server parses it again with the same importer the browser previewed with; the
//! browser only tells which column maps to which field.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use app::components::drop_zone::parse_mapping_param;
use app::error::AppError;
use app::import::{self, Limits};
use app::server::companies;

use super::access;
use crate::AppState;

#[derive(Deserialize)]
pub struct ImportQuery {
    mapping: Option<String>,
}

/// Largest accepted upload (the importer's own limit is checked too).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

fn fail(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(serde_json::json!({ "error": err.to_string() }))).into_response()
}

pub async fn import_csv(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = state.ctx();
    let auth = match access::signed_in(&state, &headers).await {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    // Someone else's (or a deleted) campaign gets its 404 before any work on the file.
    if let Err(resp) = access::own_campaign(&state, auth.user.id, id).await {
        return resp;
    }
    let limits = Limits { max_bytes: MAX_UPLOAD_BYTES, ..Limits::default() };
    let parsed = match import::parse(&body, &limits) {
        Ok(p) => p,
        Err(e) => return fail(AppError::Refused(e.to_string())),
    };
    let mapping = match q.mapping.as_deref() {
        None => parsed.mapping.clone(),
        Some(m) => match parse_mapping_param(m, parsed.headers.len()) {
            Some(m) => m,
            None => {
                return fail(AppError::Refused(
                    "The column mapping does not match the file's columns.".into(),
                ));
            }
        },
    };
    let outcome = match import::build(&parsed, &mapping) {
        Ok(o) => o,
        Err(e) => return fail(AppError::Refused(e.to_string())),
    };
    let mut notes = Vec::new();
    if parsed.blank_rows > 0 {
        notes.push(format!("Skipped {} blank rows.", parsed.blank_rows));
    }
    if !parsed.skipped_preamble.is_empty() {
        notes.push(format!("Left out {} lines above the header.", parsed.skipped_preamble.len()));
    }
    if !parsed.skipped_footer.is_empty() {
        notes.push(format!("Left out {} lines after the data.", parsed.skipped_footer.len()));
    }
    notes.extend(parsed.warnings.iter().cloned());
    notes.extend(companies::outcome_notes(&outcome));
    match companies::add(&ctx, auth.user.id, &auth.user.plan, id, &outcome, notes).await {
        Ok(report) => (StatusCode::OK, Json(report)).into_response(),
        Err(e) => fail(e),
    }
}
