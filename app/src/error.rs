//! The one error type of the app layer: what a server function can answer, in words a
//! user can act on. Details stay in the server log, never in this type.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message attached to one form field (`field` is the input's `name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Also answered for objects that exist but belong to someone else.
    #[error("Not found.")]
    NotFound,
    #[error("{}", summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    Throttled { retry_after_secs: u64 },
    /// A plan limit or a state conflict, with a message naming it.
    #[error("{0}")]
    Refused(String),
    #[error("This request came from another site and was refused.")]
    CrossSite,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request never got a proper answer (network, decoding).
    #[error("Could not reach Cellstack: {0}")]
    Transport(String),
}

fn summary(errors: &[FieldError]) -> String {
    match errors {
        [] => "Please check the form.".into(),
        [one] => one.message.clone(),
        _ => "Please correct the highlighted fields.".into(),
    }
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// The message for `field`, if this error is about it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::Throttled { .. } => 429,
            AppError::Refused(_) => 409,
            AppError::CrossSite => 403,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

/// Collects field errors while validating a form.
#[derive(Default)]
pub struct Validator(Vec<FieldError>);

impl Validator {
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) -> &mut Self {
        if !ok && !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError { field: field.into(), message: message.into() });
        }
        self
    }

    /// Required text with a length range (in characters, after trimming).
    pub fn text(&mut self, field: &str, label: &str, value: &str, min: usize, max: usize) -> &mut Self {
        let n = value.trim().chars().count();
        if n == 0 && min > 0 {
            self.check(false, field, format!("{label} is required."))
        } else if n < min {
            self.check(false, field, format!("{label} needs at least {min} characters."))
        } else {
            self.check(n <= max, field, format!("{label} can be at most {max} characters."))
        }
    }

    pub fn finish(&mut self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(std::mem::take(&mut self.0))) }
    }
}
