//! Turns a non-2xx answer of a chat-completions endpoint into what the client should do.
//! Decisions rest on the status, the error's `code`/`type`/`param` and headers — message
//! wording is only consulted where servers have no standard code: a server that lacks
//! `json_schema` support, and vLLM's context overflow (a plain 400 `BadRequestError`).
//!
//! Account-level problems (key, quota, model, endpoint) pause the campaign; a 4xx caused
//! by one row's request fails that row only, so one odd page cannot wedge a campaign.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::PROVIDER;
use crate::providers::error::ProviderError;

/// The outcome of one failed HTTP call.
#[derive(Debug)]
pub(super) enum Failure {
    /// 400 because `response_format: json_schema` is not supported by this server.
    SchemaUnsupported,
    /// 400 `context_length_exceeded`.
    ContextLength,
    /// Anything else, already classified.
    Provider(ProviderError),
}

/// The fields of an OpenAI-style error body (`{"error": {...}}`, or the object itself as
/// some compatible servers send it). Non-string codes (vLLM sends numbers) count as absent.
struct ApiError<'a> {
    code: Option<&'a str>,
    kind: Option<&'a str>,
    param: Option<&'a str>,
    message: &'a str,
}

impl<'a> ApiError<'a> {
    fn from_body(body: &'a Value) -> Self {
        let e = body.get("error").filter(|e| e.is_object()).unwrap_or(body);
        let s = |k: &str| e.get(k).and_then(Value::as_str);
        ApiError { code: s("code"), kind: s("type"), param: s("param"), message: s("message").unwrap_or("") }
    }

    fn is(&self, what: &str) -> bool {
        self.code == Some(what) || self.kind == Some(what)
    }

    /// `type/code` for error details; never the provider's free text.
    fn label(&self) -> String {
        match (self.kind, self.code) {
            (Some(k), Some(c)) if k != c => format!(", {k}/{c}"),
            (Some(k), _) => format!(", {k}"),
            (None, Some(c)) => format!(", {c}"),
            (None, None) => String::new(),
        }
    }
}

fn permanent(detail: impl Into<String>) -> Failure {
    Failure::Provider(ProviderError::Permanent { provider: PROVIDER, detail: detail.into() })
}

fn transient(detail: impl Into<String>, retry_after: Option<Duration>) -> Failure {
    Failure::Provider(ProviderError::Transient { provider: PROVIDER, detail: detail.into(), retry_after })
}

pub(super) fn classify(status: StatusCode, headers: &HeaderMap, body: &[u8], model: &str) -> Failure {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let err = ApiError::from_body(&body);
    let code = status.as_u16();
    match code {
        429 if err.is("insufficient_quota") => permanent("quota exhausted; billing action required"),
        429 => Failure::Provider(ProviderError::RateLimited {
            provider: PROVIDER,
            detail: format!("HTTP 429{}", err.label()),
            retry_after: retry_after(headers),
        }),
        400 | 413 if context_overflow(&err) => Failure::ContextLength,
        400 if err.is("content_filter") || err.is("content_policy_violation") => Failure::Provider(
            ProviderError::Refused("the provider's content filter blocked this request".into()),
        ),
        400 if mentions_response_format(&err) => {
            if err.message.to_ascii_lowercase().contains("invalid schema") {
                permanent(format!("the answer schema was rejected (HTTP 400{})", err.label()))
            } else {
                Failure::SchemaUnsupported
            }
        }
        401 | 403 => permanent(format!("API key rejected (HTTP {code})")),
        402 => permanent("payment required (HTTP 402); billing action required"),
        404 if err.is("model_not_found") => permanent(format!("model `{model}` not found")),
        404 => permanent("endpoint not found (HTTP 404); check the base URL and model"),
        408 => transient("request timed out at the server (HTTP 408)", retry_after(headers)),
        500..=599 => transient(format!("server error (HTTP {code}{})", err.label()), retry_after(headers)),
        400..=499 => Failure::Provider(ProviderError::Rejected {
            provider: PROVIDER,
            detail: format!("HTTP {code}{}{}", err.label(), param_note(&err)),
        }),
        _ => transient(format!("unexpected HTTP {code}"), None),
    }
}

/// OpenAI's `context_length_exceeded`, llama.cpp's `exceed_context_size_error`, or vLLM's
/// untyped 400 whose message names the model's maximum context length.
fn context_overflow(err: &ApiError) -> bool {
    let message = err.message.to_ascii_lowercase();
    err.is("context_length_exceeded")
        || err.is("exceed_context_size_error")
        || message.contains("maximum context length")
        || message.contains("context window")
}

fn param_note(err: &ApiError) -> String {
    err.param.map(|p| format!(" (param {p})")).unwrap_or_default()
}

fn mentions_response_format(err: &ApiError) -> bool {
    let hit = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("response_format") || s.contains("json_schema")
    };
    [err.param, err.code].into_iter().flatten().any(hit) || hit(err.message)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    crate::providers::retry_after::from_headers(headers, std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(status: u16, headers: &[(&'static str, &str)], body: Value) -> Failure {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        classify(StatusCode::from_u16(status).unwrap(), &map, body.to_string().as_bytes(), "m")
    }

    #[test]
    fn retry_after_headers() {
        let f = run(429, &[("retry-after", "20"), ("retry-after-ms", "1500")], json!({}));
        let Failure::Provider(ProviderError::RateLimited { retry_after, .. }) = f else { panic!("{f:?}") };
        assert_eq!(retry_after, Some(Duration::from_millis(1500)));
        // An HTTP-date in the past means "now".
        let f = run(503, &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")], json!({}));
        let Failure::Provider(ProviderError::Transient { retry_after, .. }) = f else { panic!("{f:?}") };
        assert_eq!(retry_after, Some(Duration::ZERO));
        // Absurd hints neither panic nor overflow.
        let f = run(429, &[("retry-after", "1e300")], json!({}));
        let Failure::Provider(ProviderError::RateLimited { retry_after, .. }) = f else { panic!("{f:?}") };
        assert_eq!(retry_after, None);
    }

    #[test]
    fn quota_by_type_alone_is_permanent_and_wording_is_ignored() {
        let body = json!({"error": {"message": "rate limit, retry soon", "type": "insufficient_quota"}});
        let f = run(429, &[("retry-after", "5")], body);
        assert!(matches!(f, Failure::Provider(ProviderError::Permanent { .. })), "{f:?}");
        let body = json!({"error": {"message": "quota exhausted", "type": "requests", "code": null}});
        let f = run(429, &[], body);
        assert!(matches!(f, Failure::Provider(ProviderError::RateLimited { .. })), "{f:?}");
    }

    #[test]
    fn other_statuses() {
        let body = json!({"error": {"message": "x", "code": "model_not_found"}});
        let f = run(404, &[], body);
        let Failure::Provider(ProviderError::Permanent { detail, .. }) = f else { panic!("{f:?}") };
        assert!(detail.contains("model `m` not found"));
        // A 4xx the row's request caused fails the row, not the campaign.
        let f = run(422, &[], json!({"object": "error", "message": "bad", "code": 422}));
        let Failure::Provider(ProviderError::Rejected { detail, .. }) = f else { panic!("{f:?}") };
        assert_eq!(detail, "HTTP 422");
        let f = run(
            400,
            &[],
            json!({"error": {"message": "x", "type": "invalid_request_error", "param": "messages"}}),
        );
        let Failure::Provider(ProviderError::Rejected { detail, .. }) = f else { panic!("{f:?}") };
        assert_eq!(detail, "HTTP 400, invalid_request_error (param messages)");
        assert!(matches!(run(402, &[], json!({})), Failure::Provider(ProviderError::Permanent { .. })));
        let body = json!({"error": {"message": "Invalid schema for response_format 'x'",
            "param": "response_format"}});
        assert!(matches!(run(400, &[], body), Failure::Provider(ProviderError::Permanent { .. })));
        let body = json!({"error": {"message": "unknown field", "param": "response_format"}});
        assert!(matches!(run(400, &[], body), Failure::SchemaUnsupported));
        assert!(matches!(run(502, &[], json!("<html>")), Failure::Provider(ProviderError::Transient { .. })));
    }

    #[test]
    fn context_overflow_of_each_server_family() {
        let openai = json!({"error": {"message": "too long", "code": "context_length_exceeded"}});
        let llama_cpp = json!({"error": {"code": 400, "message": "the request exceeds the available context size",
            "type": "exceed_context_size_error"}});
        let vllm = json!({"object": "error", "message": "This model's maximum context length is 4096 tokens. \
            However, you requested 5000 tokens.", "type": "BadRequestError", "param": null, "code": 400});
        for body in [openai, llama_cpp, vllm] {
            assert!(matches!(run(400, &[], body.clone()), Failure::ContextLength), "{body}");
        }
    }

    #[test]
    fn content_filter_is_a_refusal_and_429_is_a_rate_limit() {
        let azure = json!({"error": {"message": "filtered", "code": "content_filter", "param": "prompt"}});
        let f = run(400, &[], azure);
        assert!(
            matches!(f, Failure::Provider(ProviderError::Refused(ref t)) if t.contains("content filter")),
            "{f:?}"
        );
        let f = run(429, &[], json!({"error": {"message": "slow down", "type": "requests"}}));
        let Failure::Provider(ProviderError::RateLimited { retry_after, detail, .. }) = f else {
            panic!("{f:?}")
        };
        assert_eq!((retry_after, detail.as_str()), (None, "HTTP 429, requests"));
    }
}
