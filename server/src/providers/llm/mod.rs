//! Client for an OpenAI-compatible chat-completions endpoint that must answer with one
//! JSON object matching a schema (structured outputs).
//!
//! Transport choice: we use async-openai's request/response *types* only
//! (`default-features = false, features = ["chat-completion-types"]`) and send the
//! request with reqwest ourselves. async-openai 0.41's `Client` always wraps its HTTP
//! executor in `OpenAIRetryLayer` (3 retries of 429/5xx/connect errors, sleeping for
//! Retry-After or an exponential backoff), which can only be replaced through the extra
//! `middleware` feature, and its error path (`OpenAIError::ApiError`) drops the response
//! headers, so the Retry-After hint the pipeline needs is lost. It would also pull in
//! reqwest 0.13 next to the workspace's 0.12.
//!
//! No retries or backoff happen here except two one-shot retries that change the request:
//! a doubled token limit after a cut-off answer, and `user_short` after a context-length
//! error (plus the one-time switch to `json_object` for servers without `json_schema`).
//! Everything else is classified and returned; the pipeline reschedules.

mod classify;
pub mod schema;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_openai::types::chat::{
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
    CreateChatCompletionResponse, FinishReason, ResponseFormat, ResponseFormatJsonSchema,
};
use serde_json::Value;

use self::classify::{Failure, classify};
use crate::providers::error::ProviderError;

pub(crate) const PROVIDER: &str = "LLM";

pub struct LlmConfig {
    pub api_key: String,
    /// Up to and including `/v1`; `/chat/completions` is appended.
    pub base_url: String,
    pub model: String,
    /// For the whole call (connect, wait, body), per HTTP request.
    pub timeout: Duration,
    /// Initial completion-token limit (sent as `max_completion_tokens`).
    pub max_tokens: u32,
}

impl LlmConfig {
    /// OpenAI defaults: api.openai.com, gpt-4o-mini, 90 s, 1500 tokens.
    pub fn new(api_key: impl Into<String>) -> Self {
        LlmConfig {
            api_key: api_key.into(),
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
            timeout: Duration::from_secs(90),
            max_tokens: 1500,
        }
    }
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry credentials as `user:pass@`: print it without them.
        let base_url = match url::Url::parse(&self.base_url) {
            Ok(mut u) => {
                let _ = (u.set_username(""), u.set_password(None));
                u.to_string()
            }
            Err(_) => "<not a URL>".to_string(),
        };
        f.debug_struct("LlmConfig")
            .field("api_key", &"<redacted>")
            .field("base_url", &base_url)
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("max_tokens", &self.max_tokens)
            .finish()
    }
}

#[derive(Clone)]
pub struct LlmClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: String,
    cfg: LlmConfig,
    /// Cleared for good once the server says it cannot do `json_schema`.
    json_schema: AtomicBool,
}

#[derive(Debug, Clone)]
pub struct LlmRequest {
    pub schema_name: String,
    /// Strict JSON schema of the answer object.
    pub schema: Value,
    pub system: String,
    pub user: String,
    /// A shorter version of `user`, tried once if the context length is exceeded.
    pub user_short: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub value: Value,
    /// As reported by the server.
    pub model: String,
    /// Summed over all HTTP calls made for this completion.
    pub tokens_in: u32,
    pub tokens_out: u32,
    pub calls: u32,
}

/// Tokens used by a completion's calls, successful or not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spent {
    pub model: String,
    pub tokens_in: u32,
    pub tokens_out: u32,
}

/// A 2xx answer, reduced to what matters.
struct Answer {
    model: String,
    tokens_in: u32,
    tokens_out: u32,
    finish: Option<FinishReason>,
    content: Option<String>,
    refusal: Option<String>,
}

fn unusable(detail: impl Into<String>) -> ProviderError {
    ProviderError::Unusable { provider: PROVIDER, detail: detail.into() }
}

fn transient(detail: String) -> ProviderError {
    ProviderError::Transient { provider: PROVIDER, detail, retry_after: None }
}

impl LlmClient {
    pub fn new(cfg: LlmConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .build()
            .unwrap_or_default();
        let endpoint = format!("{}/chat/completions", cfg.base_url.trim_end_matches('/'));
        LlmClient { inner: Arc::new(Inner { http, endpoint, cfg, json_schema: AtomicBool::new(true) }) }
    }

    pub fn model(&self) -> &str {
        &self.inner.cfg.model
    }

    pub async fn complete(&self, req: &LlmRequest) -> Result<Completion, ProviderError> {
        self.complete_counted(req).await.0
    }

    /// Like [`Self::complete`], and also what was paid for whatever the outcome: a
    /// refused, cut-off or invalid answer still cost its tokens.
    pub async fn complete_counted(&self, req: &LlmRequest) -> (Result<Completion, ProviderError>, Spent) {
        let mut total =
            Completion { value: Value::Null, model: String::new(), tokens_in: 0, tokens_out: 0, calls: 0 };
        let result = self.complete_into(req, &mut total).await;
        let spent = Spent {
            model: if total.model.is_empty() { self.model().to_string() } else { total.model.clone() },
            tokens_in: total.tokens_in,
            tokens_out: total.tokens_out,
        };
        (result.map(|()| total), spent)
    }

    /// The calls of one completion, summing usage into `total` and setting its value.
    async fn complete_into(&self, req: &LlmRequest, total: &mut Completion) -> Result<(), ProviderError> {
        let mut user = req.user.as_str();
        let mut max_tokens = self.inner.cfg.max_tokens;
        let (mut tried_short, mut tried_longer) = (false, false);
        loop {
            let strict = self.inner.json_schema.load(Ordering::Relaxed);
            total.calls += 1;
            let answer = match self.call(req, user, max_tokens, strict).await {
                Ok(answer) => answer,
                Err(Failure::SchemaUnsupported) if strict => {
                    tracing::warn!(model = %self.model(), "server lacks json_schema; using json_object from now on");
                    self.inner.json_schema.store(false, Ordering::Relaxed);
                    continue;
                }
                Err(Failure::ContextLength) => match req.user_short.as_deref() {
                    Some(short) if !tried_short => {
                        tracing::debug!("context length exceeded; retrying once with the short input");
                        (user, tried_short) = (short, true);
                        continue;
                    }
                    _ => {
                        return Err(ProviderError::TooLong {
                            provider: PROVIDER,
                            detail: "input too long for the model, even shortened".into(),
                        });
                    }
                },
                Err(Failure::SchemaUnsupported) => {
                    return Err(ProviderError::Permanent {
                        provider: PROVIDER,
                        detail: "the server rejected response_format json_object".into(),
                    });
                }
                Err(Failure::Provider(e)) => return Err(e),
            };
            total.tokens_in = total.tokens_in.saturating_add(answer.tokens_in);
            total.tokens_out = total.tokens_out.saturating_add(answer.tokens_out);
            total.model = answer.model;
            if let Some(text) = answer.refusal {
                return Err(ProviderError::Refused(text));
            }
            match answer.finish {
                Some(FinishReason::Length) if !tried_longer => {
                    tracing::debug!(max_tokens, "answer cut off; retrying once with twice the token limit");
                    (max_tokens, tried_longer) = (max_tokens.saturating_mul(2), true);
                    continue;
                }
                Some(FinishReason::Length) => {
                    tracing::debug!(
                        tokens_in = total.tokens_in,
                        tokens_out = total.tokens_out,
                        "cut off twice"
                    );
                    return Err(unusable("answer was cut off at the token limit"));
                }
                Some(FinishReason::ContentFilter) => {
                    return Err(ProviderError::Refused(
                        "the answer was withheld by the content filter".into(),
                    ));
                }
                _ => {}
            }
            let content =
                answer.content.filter(|c| !c.trim().is_empty()).ok_or_else(|| unusable("empty answer"))?;
            let value: Value =
                serde_json::from_str(&content).map_err(|_| unusable("answer is not valid JSON"))?;
            schema::validate(&req.schema, &value)
                .map_err(|e| unusable(format!("answer does not match the schema at {e}")))?;
            total.value = value;
            return Ok(());
        }
    }

    fn build_body(
        &self,
        req: &LlmRequest,
        user: &str,
        max_tokens: u32,
        strict: bool,
    ) -> CreateChatCompletionRequest {
        let (system, response_format) = if strict {
            let json_schema = ResponseFormatJsonSchema {
                description: None,
                name: req.schema_name.clone(),
                schema: req.schema.clone(),
                strict: Some(true),
            };
            (req.system.clone(), ResponseFormat::JsonSchema { json_schema })
        } else {
            let system = format!(
                "{}\n\nAnswer with one JSON object and nothing else. It must match this JSON schema:\n{}",
                req.system, req.schema
            );
            (system, ResponseFormat::JsonObject)
        };
        CreateChatCompletionRequest {
            model: self.inner.cfg.model.clone(),
            messages: vec![
                ChatCompletionRequestSystemMessage::from(system).into(),
                ChatCompletionRequestUserMessage::from(user).into(),
            ],
            response_format: Some(response_format),
            max_completion_tokens: Some(max_tokens),
            ..Default::default()
        }
    }

    /// One HTTP request, no retries.
    async fn call(
        &self,
        req: &LlmRequest,
        user: &str,
        max_tokens: u32,
        strict: bool,
    ) -> Result<Answer, Failure> {
        let body = self.build_body(req, user, max_tokens, strict);
        tracing::debug!(model = %body.model, max_tokens, strict, schema = %req.schema_name, "LLM request");
        let cfg = &self.inner.cfg;
        let sent =
            self.inner.http.post(&self.inner.endpoint).bearer_auth(&cfg.api_key).json(&body).send().await;
        let response = sent.map_err(|e| Failure::Provider(transport_error(&e, cfg.timeout)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes =
            response.bytes().await.map_err(|e| Failure::Provider(transport_error(&e, cfg.timeout)))?;
        if !status.is_success() {
            let failure = classify(status, &headers, &bytes, &cfg.model);
            tracing::debug!(%status, ?failure, "LLM error answer");
            return Err(failure);
        }
        let parsed: CreateChatCompletionResponse = serde_json::from_slice(&bytes)
            .map_err(|_| Failure::Provider(unusable("response is not a chat completion")))?;
        let usage = parsed.usage.as_ref();
        let choice = parsed.choices.into_iter().next();
        let choice = choice.ok_or_else(|| Failure::Provider(unusable("response has no choices")))?;
        Ok(Answer {
            model: parsed.model,
            tokens_in: usage.map_or(0, |u| u.prompt_tokens),
            tokens_out: usage.map_or(0, |u| u.completion_tokens),
            finish: choice.finish_reason,
            content: choice.message.content,
            refusal: choice.message.refusal.filter(|r| !r.is_empty()),
        })
    }
}

/// reqwest errors never carry the key or the prompt, but keep the detail generic anyway.
fn transport_error(e: &reqwest::Error, timeout: Duration) -> ProviderError {
    if e.is_timeout() {
        transient(format!("no answer within {} ms", timeout.as_millis()))
    } else if e.is_connect() {
        transient("could not connect".into())
    } else {
        transient("connection failed while talking to the server".into())
    }
}
