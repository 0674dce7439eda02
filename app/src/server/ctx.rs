//! What a server function needs from the server: the pool and the settings, put in the
//! Leptos context by the server for every request.

use std::sync::Arc;

use leptos::prelude::*;
use sqlx::PgPool;

use super::Settings;
use crate::error::AppError;

#[derive(Clone)]
pub struct Ctx {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
}

impl Ctx {
    /// The context of the current request. Missing context is a wiring bug.
    pub fn get() -> Result<Ctx, AppError> {
        use_context::<Ctx>().ok_or_else(|| {
            tracing::error!("server function called without Ctx in context");
            AppError::Internal
        })
    }
}

/// Ends a server function: on error, sets the HTTP status that matches it, so clients
/// (and the isolation test) see 401/404/422/429 rather than a generic 500.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
    {
        if let Ok(code) = http::StatusCode::from_u16(err.status()) {
            opts.set_status(code);
        }
        if let AppError::Throttled { retry_after_secs } = err
            && let Ok(v) = http::HeaderValue::from_str(&retry_after_secs.to_string())
        {
            opts.insert_header(http::header::RETRY_AFTER, v);
        }
    }
    result
}

/// Logs an unexpected error with its detail and answers the generic one.
pub fn internal(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "internal error");
    AppError::Internal
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        internal(err)
    }
}
