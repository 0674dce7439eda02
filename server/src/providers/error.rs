//! What can go wrong when calling a provider (LLM, search, web), classified by what the
//! pipeline should do about it — never by the wording of an error message.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// Worth trying again later: 5xx, timeout, connection trouble. Each try counts as an
    /// attempt. `retry_after` is the provider's own hint (Retry-After header), if it gave one.
    #[error("{provider} is busy or unreachable ({detail})")]
    Transient { provider: &'static str, detail: String, retry_after: Option<Duration> },
    /// Too many requests (429): the task waits (the hint, else a growing backoff) without
    /// using up an attempt, up to a bounded number of waits.
    #[error("{provider} is rate limiting us ({detail})")]
    RateLimited { provider: &'static str, detail: String, retry_after: Option<Duration> },
    /// Retrying cannot help and no row can succeed: bad key, quota exhausted, wrong model
    /// or base URL. The pipeline pauses the campaign and shows `detail` to the user.
    #[error("{provider} rejected the request ({detail})")]
    Permanent { provider: &'static str, detail: String },
    /// This row's request was refused (a 4xx caused by its content): the row fails with
    /// `detail` at once; the rest of the campaign goes on.
    #[error("{provider} refused this request ({detail})")]
    Rejected { provider: &'static str, detail: String },
    /// The model declined to answer; the row is marked refused with this text.
    #[error("the model refused: {0}")]
    Refused(String),
    /// An answer arrived but cannot be used (truncated, not JSON, wrong shape).
    /// Retryable; a partial answer is never stored.
    #[error("{provider} returned an unusable answer ({detail})")]
    Unusable { provider: &'static str, detail: String },
    /// The input is too long for the model even shortened: no retry can help this row,
    /// which fails at once (other rows go on).
    #[error("{provider} cannot take this input ({detail})")]
    TooLong { provider: &'static str, detail: String },
}

impl ProviderError {
    /// Whether another attempt of the same step may succeed.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            ProviderError::Transient { .. }
                | ProviderError::RateLimited { .. }
                | ProviderError::Unusable { .. }
        )
    }
}
