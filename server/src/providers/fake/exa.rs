//! A fake Exa for tests, scripts and benchmarks: an HTTP server on 127.0.0.1 that answers
//! `POST /search` and `POST /contents` deterministically from the request, after a fixed
//! latency, and can be told to fail the next requests in the ways the real one does
//! (shapes from `cases/c15_exa_error_mocks.json`).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::watch;

/// Dollars charged per `/search` call and per URL of a `/contents` call.
pub const SEARCH_COST_USD: f64 = 0.005;
pub const CONTENTS_COST_PER_URL_USD: f64 = 0.001;
/// Pages generated per included domain (the home page, then news items).
const PAGES_PER_DOMAIN: usize = 5;

/// A way to answer one request instead of the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExaFault {
    /// 502, `text/html` error page.
    HtmlBadGateway,
    /// 429 `{"error": "Too Many Requests"}` with a `Retry-After` header.
    RateLimited { retry_after_secs: u64 },
    /// 200 with `results: []`.
    Empty,
    /// 200 with one result whose `text` is null.
    NoText,
    /// 401, as for a bad key.
    Unauthorized,
    /// Accept the request and never answer (until the fake is dropped).
    Hang,
}

/// What the fake has seen and what it is told to do next.
pub struct FakeExaState {
    latency: Duration,
    requests: AtomicUsize,
    faults: Mutex<VecDeque<ExaFault>>,
    bodies: Mutex<Vec<Value>>,
    shutdown: watch::Receiver<bool>,
}

/// A running fake; it stops when dropped.
pub struct FakeExa {
    pub addr: SocketAddr,
    pub state: Arc<FakeExaState>,
    shutdown: watch::Sender<bool>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeExaState {
    pub fn push_faults(&self, faults: impl IntoIterator<Item = ExaFault>) {
        lock(&self.faults).extend(faults);
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn bodies(&self) -> Vec<Value> {
        lock(&self.bodies).clone()
    }
}

impl FakeExa {
    /// Serves on 127.0.0.1:port (0 = any free port).
    pub async fn start(port: u16, latency: Duration) -> std::io::Result<FakeExa> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, rx) = watch::channel(false);
        let state = Arc::new(FakeExaState {
            latency,
            requests: AtomicUsize::new(0),
            faults: Mutex::new(VecDeque::new()),
            bodies: Mutex::new(Vec::new()),
            shutdown: rx.clone(),
        });
        let app = Router::new()
            .route("/search", post(search))
            .route("/contents", post(contents))
            .with_state(state.clone());
        let mut stop = rx;
        tokio::spawn(async move {
            let stopped = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(stopped).await {
                tracing::warn!(error = %e, "fake Exa stopped with an error");
            }
        });
        Ok(FakeExa { addr, state, shutdown })
    }

    /// `http://127.0.0.1:<port>`, to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queue faults answered to the next N requests, in order, before normal answers resume.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = ExaFault>) {
        self.state.push_faults(faults);
    }

    /// How many requests it got (including refused and faulted ones).
    pub fn requests(&self) -> usize {
        self.state.requests()
    }

    /// Request bodies received, in order (a body that is not JSON is kept as a string).
    pub fn bodies(&self) -> Vec<Value> {
        self.state.bodies()
    }
}

impl Drop for FakeExa {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

async fn search(State(state): State<Arc<FakeExaState>>, headers: HeaderMap, body: Bytes) -> Response {
    match admit(&state, &headers, &body).await {
        Ok(req) => answer_search(&req),
        Err(resp) => resp,
    }
}

async fn contents(State(state): State<Arc<FakeExaState>>, headers: HeaderMap, body: Bytes) -> Response {
    match admit(&state, &headers, &body).await {
        Ok(req) => answer_contents(&req),
        Err(resp) => resp,
    }
}

/// What every request goes through: counted, recorded, delayed, authenticated, maybe faulted.
async fn admit(state: &FakeExaState, headers: &HeaderMap, body: &[u8]) -> Result<Value, Response> {
    let n = state.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let parsed = serde_json::from_slice::<Value>(body).ok();
    let recorded = parsed.clone().unwrap_or_else(|| Value::String(String::from_utf8_lossy(body).into()));
    lock(&state.bodies).push(recorded);
    tokio::time::sleep(state.latency).await;
    let has_key = headers.get("x-api-key").is_some_and(|k| !k.as_bytes().is_empty());
    if !has_key {
        return Err(unauthorized());
    }
    let fault = lock(&state.faults).pop_front();
    if let Some(fault) = fault {
        return Err(fault_response(fault, state.shutdown.clone()).await);
    }
    match parsed {
        Some(mut req @ Value::Object(_)) => {
            req["__request_id"] = json!(format!("fake-{n}"));
            Ok(req)
        }
        _ => Err(bad_request("request body must be a JSON object")),
    }
}

async fn fault_response(fault: ExaFault, mut shutdown: watch::Receiver<bool>) -> Response {
    match fault {
        ExaFault::HtmlBadGateway => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>",
        )
            .into_response(),
        ExaFault::RateLimited { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry_after_secs.to_string())],
            axum::Json(json!({"error": "Too Many Requests"})),
        )
            .into_response(),
        ExaFault::Empty => axum::Json(json!({"requestId": "synthetic-3", "results": []})).into_response(),
        ExaFault::NoText => axum::Json(json!({
            "requestId": "synthetic-4",
            "results": [{"url": "https://coho-winery.example/news", "title": "News", "text": null}]
        }))
        .into_response(),
        ExaFault::Unauthorized => unauthorized(),
        ExaFault::Hang => {
            let _ = shutdown.wait_for(|s| *s).await;
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, axum::Json(json!({"error": "Invalid API key", "tag": "INVALID_API_KEY"})))
        .into_response()
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, axum::Json(json!({"error": message, "tag": "INVALID_REQUEST_BODY"})))
        .into_response()
}

fn answer_search(req: &Value) -> Response {
    let Some(query) = req["query"].as_str().filter(|q| !q.trim().is_empty()) else {
        return bad_request("query is required");
    };
    let wanted = usize::try_from(req["numResults"].as_u64().unwrap_or(10)).unwrap_or(usize::MAX);
    let max_chars = text_max_chars(&req["contents"]);
    let domains: Vec<&str> = req["includeDomains"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let slug = slugify(query);
    let mut results = Vec::new();
    if domains.is_empty() {
        for i in 0..wanted.min(PAGES_PER_DOMAIN) {
            let url = match i {
                0 => format!("https://news.example/{slug}"),
                _ => format!("https://news.example/{slug}-{}", i + 1),
            };
            let text = format!("{query}. Reported by news.example.");
            results.push(result(&url, format!("{query} (news.example)"), Some(&text), max_chars, true));
        }
    } else {
        // Round-robin over the domains: every home page first, then their news items.
        'pages: for page in 0..PAGES_PER_DOMAIN {
            for d in &domains {
                if results.len() >= wanted {
                    break 'pages;
                }
                let text = format!("{query}. Source page on {d}.");
                results.push(match page {
                    0 => result(&format!("https://{d}/"), d.to_string(), Some(&text), max_chars, false),
                    _ => result(
                        &format!("https://{d}/news/{slug}-{page}"),
                        format!("{query} — {d}"),
                        Some(&text),
                        max_chars,
                        true,
                    ),
                });
            }
        }
    }
    let cost = json!({"total": SEARCH_COST_USD, "search": {"neural": SEARCH_COST_USD}});
    axum::Json(json!({
        "requestId": req["__request_id"],
        "resolvedSearchType": "neural",
        "results": results,
        "costDollars": cost,
    }))
    .into_response()
}

fn answer_contents(req: &Value) -> Response {
    let Some(urls) = req["urls"].as_array() else {
        return bad_request("urls is required");
    };
    let max_chars = text_max_chars(req);
    let results: Vec<Value> = urls
        .iter()
        .filter_map(Value::as_str)
        .map(|url| {
            result(url, format!("Contents of {url}"), Some(&format!("Contents of {url}.")), max_chars, false)
        })
        .collect();
    let total = CONTENTS_COST_PER_URL_USD * results.len() as f64;
    axum::Json(json!({
        "requestId": req["__request_id"],
        "results": results,
        "costDollars": {"total": total, "contents": {"text": total}},
    }))
    .into_response()
}

/// `text.maxCharacters` of a contents-options object; `None` = no limit.
fn text_max_chars(options: &Value) -> Option<usize> {
    options["text"]["maxCharacters"].as_u64().map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

fn result(url: &str, title: String, text: Option<&str>, max_chars: Option<usize>, dated: bool) -> Value {
    let text = text.map(|t| match max_chars {
        Some(n) => t.chars().take(n).collect::<String>(),
        None => t.to_owned(),
    });
    json!({
        "id": url,
        "url": url,
        "title": title,
        "publishedDate": if dated { json!("2025-01-15T00:00:00.000Z") } else { Value::Null },
        "author": null,
        "text": text,
    })
}

/// Lower-case ASCII letters and digits, runs of anything else as one `-`.
fn slugify(s: &str) -> String {
    let mut slug = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { "query".to_owned() } else { slug.to_owned() }
}
