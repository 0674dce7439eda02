//! Plain HTTP routes (everything that is not a page or a server function). The router
//! is built from [`table`], and the isolation test walks the same table, so a new route
//! cannot be added without a test case for it.

pub mod access;
pub mod events;
pub mod export;
pub mod health;
pub mod import;
pub mod lead_export;
pub mod server_fns;

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};

use crate::AppState;

pub fn table() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(health::healthz)),
        ("/api/account/export.json", get(export::account_export)),
        ("/api/campaigns/{id}/events", get(events::campaign_events)),
        ("/api/campaigns/{id}/export.csv", get(lead_export::export_csv)),
        (
            "/api/campaigns/{id}/import",
            post(import::import_csv).layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES + 1024)),
        ),
    ]
}
