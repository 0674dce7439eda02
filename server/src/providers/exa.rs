//! Exa web search (<https://exa.ai>): `POST /search` and `POST /contents`, with every failure
//! classified into a [`ProviderError`] by what the pipeline should do about it.
//!
//! The API key travels only in the `x-api-key` header; it is never logged, and `Debug` hides it.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::providers::error::ProviderError;
use crate::providers::retry_after;

const PROVIDER: &str = "Exa";
/// Longest error message from a response body that is repeated in an error detail.
const MAX_MESSAGE_CHARS: usize = 200;

/// How to reach Exa.
#[derive(Clone)]
pub struct ExaConfig {
    pub api_key: String,
    /// Without a trailing slash; default `https://api.exa.ai`.
    pub base_url: String,
    /// Whole-request timeout (connect, send, wait, read); default 30 s.
    pub timeout: Duration,
}

impl ExaConfig {
    /// The production endpoint and the default timeout.
    pub fn new(api_key: impl Into<String>) -> Self {
        ExaConfig {
            api_key: api_key.into(),
            base_url: "https://api.exa.ai".to_owned(),
            timeout: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for ExaConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExaConfig")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Exa's `category` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Company,
    News,
}

/// One `/search` call.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub query: String,
    pub category: Option<Category>,
    /// Empty = the whole web.
    pub include_domains: Vec<String>,
    pub num_results: u32,
    /// Page text returned per hit is cut to this many characters.
    pub text_max_chars: u32,
}

/// One usable result: always an http(s) URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub url: String,
    pub title: Option<String>,
    pub published: Option<String>,
    /// `None` when Exa had no text for the page (null, absent or blank).
    pub text: Option<String>,
}

/// A successful answer. `hits` may be empty: a genuine "nothing found", not an error.
/// Serializable so callers can cache it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub hits: Vec<Hit>,
    /// `costDollars.total`, 0.0 when Exa did not report it.
    pub cost_usd: f64,
    pub request_id: Option<String>,
}

/// A cheap-to-clone handle (the HTTP connection pool is shared).
#[derive(Clone)]
pub struct ExaClient {
    http: reqwest::Client,
    api_key: String,
    base_url: String,
    timeout: Duration,
}

impl std::fmt::Debug for ExaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExaClient").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnswer {
    request_id: Option<String>,
    results: Vec<RawResult>,
    cost_dollars: Option<RawCost>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResult {
    url: Option<String>,
    title: Option<String>,
    published_date: Option<String>,
    text: Option<String>,
}

#[derive(Deserialize)]
struct RawCost {
    total: Option<f64>,
}

impl ExaClient {
    pub fn new(cfg: ExaConfig) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(cfg.timeout)
            .timeout(cfg.timeout)
            .build()
            .unwrap_or_else(|e| {
                // The per-request timeout below still applies.
                tracing::warn!(error = %e, "Exa: HTTP client setup failed, using defaults");
                reqwest::Client::new()
            });
        let base_url = cfg.base_url.trim_end_matches('/').to_owned();
        ExaClient { http, api_key: cfg.api_key, base_url, timeout: cfg.timeout }
    }

    /// Searches the web (or only `include_domains`), returning page text with each hit.
    pub async fn search(&self, req: &SearchRequest) -> Result<Found, ProviderError> {
        let mut body = json!({
            "query": req.query,
            "type": "auto",
            "numResults": req.num_results,
            "contents": { "text": { "maxCharacters": req.text_max_chars } },
        });
        if let Some(category) = req.category {
            body["category"] = json!(match category {
                Category::Company => "company",
                Category::News => "news",
            });
        }
        if !req.include_domains.is_empty() {
            body["includeDomains"] = json!(req.include_domains);
        }
        let found = self.post("search", &body).await?;
        tracing::debug!(query = %req.query, hits = found.hits.len(), cost_usd = found.cost_usd, "Exa search");
        Ok(found)
    }

    /// Fetches the text of known pages.
    pub async fn contents(&self, urls: &[String], text_max_chars: u32) -> Result<Found, ProviderError> {
        let body = json!({ "urls": urls, "text": { "maxCharacters": text_max_chars } });
        let found = self.post("contents", &body).await?;
        tracing::debug!(
            urls = urls.len(),
            hits = found.hits.len(),
            cost_usd = found.cost_usd,
            "Exa contents"
        );
        Ok(found)
    }

    async fn post(&self, endpoint: &str, body: &serde_json::Value) -> Result<Found, ProviderError> {
        let url = format!("{}/{endpoint}", self.base_url);
        let sent = self
            .http
            .post(&url)
            .header("x-api-key", &self.api_key)
            .timeout(self.timeout)
            .json(body)
            .send()
            .await;
        let result = match sent {
            Err(e) => Err(self.transport_error(&e)),
            Ok(resp) => {
                let status = resp.status().as_u16();
                let retry_after = retry_after::from_headers(resp.headers(), SystemTime::now());
                match resp.bytes().await {
                    Err(e) => Err(self.transport_error(&e)),
                    Ok(bytes) => classify(status, retry_after, &bytes),
                }
            }
        };
        if let Err(e) = &result {
            tracing::warn!(endpoint, error = %e, "Exa call failed");
        }
        result
    }

    fn transport_error(&self, e: &reqwest::Error) -> ProviderError {
        if e.is_builder() {
            // E.g. a key that is not a valid header value; never echo the key itself.
            let detail = "request could not be built (is the API key well-formed?)".to_owned();
            return ProviderError::Permanent { provider: PROVIDER, detail };
        }
        let detail = if e.is_timeout() {
            format!("no answer within {} ms", self.timeout.as_millis())
        } else if e.is_connect() {
            "could not connect".to_owned()
        } else {
            format!("transport error: {e}")
        };
        ProviderError::Transient { provider: PROVIDER, detail, retry_after: None }
    }
}

/// Turns a complete HTTP answer into hits or a classified error.
fn classify(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Result<Found, ProviderError> {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    if (200..300).contains(&status) {
        let Some(json) = json else {
            return Err(unusable(format!("HTTP {status}, not JSON")));
        };
        let raw: RawAnswer = serde_json::from_value(json)
            .map_err(|e| unusable(format!("HTTP {status}, unexpected JSON shape: {e}")))?;
        return Ok(into_found(raw));
    }
    let (message, tag) = json.as_ref().map(error_message).unwrap_or_default();
    let said = |what: &str| match (&json, message.is_empty()) {
        (None, _) => format!("HTTP {status}, not JSON"),
        (Some(_), true) => format!("HTTP {status}, {what}"),
        (Some(_), false) => format!("HTTP {status}, {what}: {message}"),
    };
    let lower = format!("{message} {tag}").to_lowercase();
    let out_of_credits = status == 402
        || lower.contains("no_more_credits")
        || lower.contains("budget_exceeded")
        || (lower.contains("credit") && has_any(&lower, &["exhaust", "insufficient", "exceed", "out of"]))
        || (status != 429 && lower.contains("quota") && has_any(&lower, &["exhaust", "exceed"]));
    let permanent = |detail| Err(ProviderError::Permanent { provider: PROVIDER, detail });
    let transient = |detail| Err(ProviderError::Transient { provider: PROVIDER, detail, retry_after });
    match status {
        401 | 403 => permanent(format!("API key rejected (HTTP {status})")),
        _ if out_of_credits && status < 500 => permanent(said("credits or quota exhausted")),
        429 => {
            Err(ProviderError::RateLimited { provider: PROVIDER, detail: said("rate limited"), retry_after })
        }
        500..=599 => transient(said("server error")),
        // One row's query was refused: that row fails, the campaign goes on.
        400..=499 => Err(ProviderError::Rejected { provider: PROVIDER, detail: said("request refused") }),
        _ => Err(unusable(format!("unexpected HTTP {status}"))),
    }
}

fn into_found(raw: RawAnswer) -> Found {
    let hits = raw
        .results
        .into_iter()
        .filter_map(|r| {
            let url = r.url.filter(|u| is_web_url(u))?;
            let text = r.text.filter(|t| !t.trim().is_empty());
            Some(Hit { url, title: r.title, published: r.published_date, text })
        })
        .collect();
    let cost_usd = raw.cost_dollars.and_then(|c| c.total).filter(|c| c.is_finite()).unwrap_or(0.0);
    Found { hits, cost_usd, request_id: raw.request_id }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://"].iter().any(|p| lower.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
}

/// The message and tag of an error body: Exa sends `{"error": "...", "tag": "..."}`; also
/// accepts `{"error": {"message": ...}}` and `{"message": ...}`.
fn error_message(json: &serde_json::Value) -> (String, String) {
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    let err = json.get("error");
    let message = text(err)
        .or_else(|| text(err.and_then(|e| e.get("message"))))
        .or_else(|| text(json.get("message")))
        .or_else(|| text(json.get("detail")))
        .unwrap_or_default();
    let tag = text(json.get("tag")).unwrap_or_default();
    (message.chars().take(MAX_MESSAGE_CHARS).collect(), tag)
}

fn has_any(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| haystack.contains(n))
}

fn unusable(detail: String) -> ProviderError {
    ProviderError::Unusable { provider: PROVIDER, detail }
}

#[cfg(test)]
#[path = "exa_tests.rs"]
mod tests;
