//! Builds the whole HTTP surface. Tests build the same router in-process.

use std::sync::Arc;

use app::server::{Ctx, Settings};
use app::{App, shell};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list_with_exclusions};
use sqlx::PgPool;
use tower_http::trace::TraceLayer;

use crate::{guard, headers, routes};

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    /// Live notifications of this instance (events for SSE, worker wake-ups).
    pub hub: crate::pipeline::Hub,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

impl AppState {
    pub fn ctx(&self) -> Ctx {
        Ctx { pool: self.pool.clone(), settings: self.settings.clone() }
    }
}

pub fn leptos_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("cellstack")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

pub fn build_router(state: AppState) -> Router {
    // Server functions are served by `routes::server_fns` (with body caps): leptos_axum
    // would otherwise register each one again without a cap, and its routes would win.
    let fn_paths = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    let routes = generate_route_list_with_exclusions(App, Some(fn_paths));
    let ctx = state.ctx();
    let fn_ctx = ctx.clone();
    let fallback_ctx = ctx.clone();
    let shell_opts = state.leptos.clone();
    let mut router = Router::new();
    for (path, handler) in routes::table() {
        router = router.route(path, handler);
    }
    for (path, handler) in routes::server_fns::routes() {
        router = router.route(path, handler);
    }
    let router = router
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx.clone());
                provide_context(app::server::session::RequestAuth::default());
            },
            move || shell(shell_opts.clone()),
        )
        // The 404 page renders the app too (header with the signed-in user): same context.
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            move || {
                provide_context(fallback_ctx.clone());
                provide_context(app::server::session::RequestAuth::default());
            },
            shell,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::same_origin))
        .layer(axum::Extension(fn_ctx))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    headers::apply(router)
}
