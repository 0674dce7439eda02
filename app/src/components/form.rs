//! Form helpers: a message under a field, and a banner for errors not tied to one.

use leptos::prelude::*;

use crate::error::AppError;

/// The latest error of an action, if its last run failed.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    })
}

/// The message for one field (by input name), shown right under it.
#[component]
pub fn FieldMsg(error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.for_field(field)).map(|m| {
            view! { <p class="field-error" role="alert" data-field=field>{m}</p> }
        })
    }
}

/// A banner for errors that are not about one field (throttling, network, ...).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| {
            view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }
        })
    }
}
