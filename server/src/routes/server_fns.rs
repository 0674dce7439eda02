use axum::body::Body;
use axum::extract::{Extension, Request};
use axum::response::IntoResponse;
use leptos::prelude::provide_context;

use app::server::Ctx;

/// Runs a server function with the pool and settings in its context.
pub async fn handle(Extension(ctx): Extension<Ctx>, req: Request<Body>) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(ctx.clone()), req).await
}
