//! Turns a non-2xx answer of a chat-completions endpoint into what the client should do.
//! Decisions rest on the status, the error's `code`/`type`/`param` and headers — message
//! wording is only consulted to recognise a server that lacks `json_schema` support,
//! which has no standard code.

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
        429 => transient(format!("rate limited (HTTP 429{})", err.label()), retry_after(headers)),
        400 if err.is("context_length_exceeded") => Failure::ContextLength,
        400 if mentions_response_format(&err) => {
            if err.message.to_ascii_lowercase().contains("invalid schema") {
                permanent(format!("the answer schema was rejected (HTTP 400{})", err.label()))
            } else {
                Failure::SchemaUnsupported
            }
        }
        401 | 403 => permanent(format!("API key rejected (HTTP {code})")),
        404 if err.is("model_not_found") => permanent(format!("model `{model}` not found")),
        404 => permanent("endpoint not found (HTTP 404); check the base URL and model"),
        408 => transient("request timed out at the server (HTTP 408)", retry_after(headers)),
        500..=599 => transient(format!("server error (HTTP {code}{})", err.label()), retry_after(headers)),
        _ => permanent(format!("HTTP {code}{}{}", err.label(), param_note(&err))),
    }
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

/// `retry-after-ms` (milliseconds, OpenAI's precise hint) wins over `retry-after`
/// (seconds). HTTP-date values are not interpreted.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| -> Option<f64> {
        let v: f64 = headers.get(name)?.to_str().ok()?.trim().parse().ok()?;
        (v.is_finite() && v >= 0.0).then_some(v)
    };
    // `try_`: a hint like 1e20 must not panic a worker; the pipeline caps the wait.
    number("retry-after-ms")
        .and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok())
        .or_else(|| number("retry-after").and_then(|s| Duration::try_from_secs_f64(s).ok()))
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
        let Failure::Provider(ProviderError::Transient { retry_after, .. }) = f else { panic!("{f:?}") };
        assert_eq!(retry_after, Some(Duration::from_millis(1500)));
        let f = run(429, &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")], json!({}));
        let Failure::Provider(ProviderError::Transient { retry_after, .. }) = f else { panic!("{f:?}") };
        assert_eq!(retry_after, None);
        // Absurd hints neither panic nor overflow.
        let f = run(429, &[("retry-after", "1e300")], json!({}));
        let Failure::Provider(ProviderError::Transient { retry_after, .. }) = f else { panic!("{f:?}") };
        assert_eq!(retry_after, None);
    }

    #[test]
    fn quota_by_type_alone_is_permanent_and_wording_is_ignored() {
        let body = json!({"error": {"message": "rate limit, retry soon", "type": "insufficient_quota"}});
        let f = run(429, &[("retry-after", "5")], body);
        assert!(matches!(f, Failure::Provider(ProviderError::Permanent { .. })), "{f:?}");
        let body = json!({"error": {"message": "quota exhausted", "type": "requests", "code": null}});
        let f = run(429, &[], body);
        assert!(matches!(f, Failure::Provider(ProviderError::Transient { .. })), "{f:?}");
    }

    #[test]
    fn other_statuses() {
        let body = json!({"error": {"message": "x", "code": "model_not_found"}});
        let f = run(404, &[], body);
        let Failure::Provider(ProviderError::Permanent { detail, .. }) = f else { panic!("{f:?}") };
        assert!(detail.contains("model `m` not found"));
        let f = run(422, &[], json!({"object": "error", "message": "bad", "code": 422}));
        assert!(matches!(f, Failure::Provider(ProviderError::Permanent { .. })), "{f:?}");
        let body = json!({"error": {"message": "Invalid schema for response_format 'x'",
            "param": "response_format"}});
        assert!(matches!(run(400, &[], body), Failure::Provider(ProviderError::Permanent { .. })));
        let body = json!({"error": {"message": "unknown field", "param": "response_format"}});
        assert!(matches!(run(400, &[], body), Failure::SchemaUnsupported));
        assert!(matches!(run(502, &[], json!("<html>")), Failure::Provider(ProviderError::Transient { .. })));
    }
}
