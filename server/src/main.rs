//! `cellstack`: serves the app (default), or runs a command-line tool.
//! See `server/src/lib.rs` for where each part lives.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use server::{AppState, build_router, cli, config, db, demo, maintenance, pipeline, providers, router};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("import") => cli::import_dry_run(&args[1..]),
        Some("score") => cli::score_dry_run(&args[1..]),
        Some("fake-providers") => providers::fake::run(&args[1..]).await,
        Some("demo") => demo::run().await,
        Some("--help" | "-h" | "help") => {
            println!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown command {other:?}\n\n{}", cli::USAGE);
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let pool = match db::connect(&config.database_url.0, config.db_max_connections).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot connect to the database: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = db::migrate(&pool).await {
        eprintln!("database migration failed: {e}");
        return ExitCode::FAILURE;
    }
    let research = config.workers.providers.clone();
    if let Err(e) = research.configure(&pool).await {
        eprintln!("cannot set up provider limits: {e}");
        return ExitCode::FAILURE;
    }
    tracing::info!(providers = %research.label(), "research providers");
    let state = AppState {
        leptos: router::leptos_options(&config.site_root, config.bind),
        pool: pool.clone(),
        settings: Arc::new(config.settings.clone()),
        hub: pipeline::Hub::new(),
    };
    let listener_task = pipeline::listener::spawn(pool.clone(), state.hub.clone());
    let workers = pipeline::spawn_workers(pool.clone(), state.hub.clone(), config.workers.clone());
    let maintenance = maintenance::spawn(
        state.ctx(),
        Duration::from_secs(600),
        config.purge_after_days,
        research.cache_ttl,
    );
    let app = build_router(state);
    let listener = match tokio::net::TcpListener::bind(config.bind).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", config.bind);
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("Cellstack is serving on http://{}", config.bind);
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    maintenance.abort();
    listener_task.abort();
    for w in workers {
        w.abort();
    }
    pool.close().await;
    match served {
        Ok(()) => {
            tracing::info!("stopped cleanly");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish in-flight requests, exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
