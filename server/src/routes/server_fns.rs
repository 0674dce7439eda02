//! `/api/{*fn_name}`: the server functions, with a cap on the request body that fits
//! what each one takes. server_fn reads the whole body into memory; left to itself it
//! only has axum's default 2 MB, answered as a generic 500 — too much for a sign-in,
//! too little for a pasted list of companies.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Extension, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use leptos::prelude::provide_context;
use tower_http::limit::RequestBodyLimitLayer;

use app::error::AppError;
use app::server::Ctx;

use crate::AppState;

/// Largest request to a server function. The largest forms stay far below it: a company
/// profile (product, audience, ten 5,000-character writing samples) is under 60,000
/// characters, about 240 KB even if every character took four bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Companies typed or pasted by hand go through a server function too, form-encoded,
/// and may be a whole list: they get the CSV upload's cap, which fits the importer's
/// 50,000 rows (the largest plan) at hundreds of bytes a line.
pub const PASTE_PATH: &str = "/api/campaigns/add-companies";
pub const MAX_PASTE_BYTES: usize = super::import::MAX_UPLOAD_BYTES;

/// The server-function routes: the paste route with its own cap, then every other one.
pub fn routes() -> [(&'static str, MethodRouter<AppState>); 2] {
    let paste_hint = " Paste fewer companies at a time, or drop them as a CSV file.";
    [(PASTE_PATH, limited(MAX_PASTE_BYTES, paste_hint)), ("/api/{*fn_name}", limited(MAX_BODY_BYTES, ""))]
}

/// `hint` follows the message of a refused request.
fn limited(limit: usize, hint: &'static str) -> MethodRouter<AppState> {
    get(handle)
        .post(handle)
        // This route's cap replaces axum's default one, which server_fn would apply too.
        .layer::<_, Infallible>(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(limit))
        // The layer's own 413 (sent when Content-Length is over the cap) says it in
        // words the app shows, like every other server-function error.
        .layer(axum::middleware::map_response(move |r: Response| async move {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large(limit, hint) } else { r }
        }))
}

/// Runs a server function with the pool and settings in its context.
async fn handle(Extension(ctx): Extension<Ctx>, req: Request<Body>) -> Response {
    // Read the body here: a body sent without Content-Length only hits the cap while it
    // is read, and server_fn would then answer a generic 500.
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) if over_limit(&e) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        Err(e) => {
            tracing::debug!(error = %e, "server function: request body not readable");
            return (StatusCode::BAD_REQUEST, "The request could not be read.").into_response();
        }
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    let contexts = move || {
        provide_context(ctx.clone());
        provide_context(app::server::session::RequestAuth::default());
    };
    leptos_axum::handle_server_fns_with_context(contexts, req).await.into_response()
}

fn over_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// 413 with an [`AppError`] body, which the app's server-function client decodes.
fn too_large(limit: usize, hint: &str) -> Response {
    let mb = limit / (1024 * 1024);
    let message = format!("That is too much to send at once (more than {mb} MB).{hint}");
    let body = serde_json::to_string(&AppError::Refused(message)).unwrap_or_default();
    (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
