//! An OpenAI-compatible chat-completions server on 127.0.0.1 for tests, scripts and
//! benchmarks. Answers come from a `Responder`; failures are queued with `push_faults`
//! and shaped like the recorded cases (c11 truncated answer, c13 429/503/timeout).
//! Standalone, `POST /_fake/rules` `{"contains": TEXT, "fault": NAME}` fails every
//! request whose messages contain TEXT (browser tests aim a fault at one company) and
//! `DELETE /_fake/rules` drops the rules.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

/// Builds the answer object (put into `message.content` as JSON) from the request body.
pub type Responder = Arc<dyn Fn(&Value) -> Value + Send + Sync>;

const DEFAULT_MODEL: &str = "gpt-4o-mini";
/// c13: "accept TCP connection, send no bytes for 310 s".
const HANG_FOR: Duration = Duration::from_secs(310);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LlmFault {
    /// c11 shape: `finish_reason: "length"`, content is the first half of the JSON.
    Truncated,
    /// `message.refusal` set, `content` null.
    Refusal(String),
    /// `finish_reason: "stop"` but the content is prose, not JSON.
    InvalidJson,
    /// c13 `rate_limit_tpm`: 429 `rate_limit_exceeded` with a `retry-after` header.
    RateLimited { retry_after_secs: u64 },
    /// 429 `rate_limit_exceeded` without any hint (as many proxies and vLLM send it).
    RateLimitedNoHint,
    /// 400 `invalid_request_error` about this request's content (not the account).
    BadRequest,
    /// c13 `insufficient_quota`: 429 without headers.
    InsufficientQuota,
    /// c13 `server_overloaded`: 503.
    Overloaded,
    /// Accepts the request and sends nothing for 310 s.
    Hang,
    /// 400 `context_length_exceeded`.
    ContextLengthExceeded,
    /// 400 as a server without structured outputs answers a `json_schema` request.
    NoJsonSchema,
    /// 401 `invalid_api_key`, even with a well-formed Authorization header.
    Unauthorized,
}

struct Shared {
    latency: Duration,
    responder: Responder,
    faults: Mutex<VecDeque<LlmFault>>,
    /// (text the request's messages contain, the fault it then gets)
    rules: Mutex<Vec<(String, LlmFault)>>,
    json_schema_supported: AtomicBool,
    requests: AtomicUsize,
    bodies: Mutex<Vec<Value>>,
}

pub struct FakeOpenAi {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeOpenAi {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves until dropped.
    pub async fn start(port: u16, latency: Duration, responder: Responder) -> std::io::Result<FakeOpenAi> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            latency,
            responder,
            faults: Mutex::new(VecDeque::new()),
            rules: Mutex::new(Vec::new()),
            json_schema_supported: AtomicBool::new(true),
            requests: AtomicUsize::new(0),
            bodies: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/models", get(models))
            .route("/_fake/rules", post(add_rule).delete(clear_rules))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::warn!("fake OpenAI server stopped: {e}");
            }
        });
        Ok(FakeOpenAi { addr, shared, task })
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.addr.port())
    }

    /// Faults for the next requests, one per request, in order.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = LlmFault>) {
        lock(&self.shared.faults).extend(faults);
    }

    /// When false, every `json_schema` request gets the `NoJsonSchema` 400.
    pub fn set_json_schema_supported(&self, yes: bool) {
        self.shared.json_schema_supported.store(yes, Ordering::Relaxed);
    }

    /// Chat-completion requests received (including rejected ones).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// The JSON bodies of the chat-completion requests received, in order.
    pub fn bodies(&self) -> Vec<Value> {
        lock(&self.shared.bodies).clone()
    }
}

impl Drop for FakeOpenAi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn authorized(headers: &HeaderMap) -> bool {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    value.strip_prefix("Bearer ").is_some_and(|key| !key.trim().is_empty())
}

fn error(status: StatusCode, message: &str, kind: &str, param: Option<&str>, code: Option<&str>) -> Response {
    let body = json!({"error": {"message": message, "type": kind, "param": param, "code": code}});
    (status, axum::Json(body)).into_response()
}

fn unauthorized() -> Response {
    let message = "[synthetic] Incorrect API key provided.";
    error(StatusCode::UNAUTHORIZED, message, "invalid_request_error", None, Some("invalid_api_key"))
}

async fn models(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let mut ids = vec![DEFAULT_MODEL.to_string()];
    for body in lock(&shared.bodies).iter() {
        if let Some(m) = body.get("model").and_then(Value::as_str)
            && !ids.iter().any(|id| id == m)
        {
            ids.push(m.to_string());
        }
    }
    let data: Vec<Value> =
        ids.iter().map(|id| json!({"id": id, "object": "model", "created": 0, "owned_by": "fake"})).collect();
    axum::Json(json!({"object": "list", "data": data})).into_response()
}

async fn chat(State(shared): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Response {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let Ok(body) = serde_json::from_slice::<Value>(&raw) else {
        return error(StatusCode::BAD_REQUEST, "body is not JSON", "invalid_request_error", None, None);
    };
    lock(&shared.bodies).push(body.clone());
    if !authorized(&headers) {
        return unauthorized();
    }
    tokio::time::sleep(shared.latency).await;
    let fault = lock(&shared.faults).pop_front().or_else(|| {
        let text = body["messages"].to_string();
        lock(&shared.rules).iter().find(|(needle, _)| text.contains(needle.as_str())).map(|(_, f)| f.clone())
    });
    let wants_schema = body.pointer("/response_format/type").and_then(Value::as_str) == Some("json_schema");
    let fault = fault.or_else(|| {
        (wants_schema && !shared.json_schema_supported.load(Ordering::Relaxed))
            .then_some(LlmFault::NoJsonSchema)
    });
    match fault {
        None => completion(&body, (shared.responder)(&body).to_string(), "stop", None),
        Some(fault) => fault_response(&shared, &body, fault).await,
    }
}

/// `{"contains": TEXT, "fault": "refusal" | "invalid_json" | "truncated" | "overloaded" |
/// "rate_limited" | "bad_request"}`
async fn add_rule(State(shared): State<Arc<Shared>>, axum::Json(rule): axum::Json<Value>) -> Response {
    let fault = match rule["fault"].as_str() {
        Some("refusal") => LlmFault::Refusal("[synthetic] I can't help with that request.".into()),
        Some("invalid_json") => LlmFault::InvalidJson,
        Some("truncated") => LlmFault::Truncated,
        Some("overloaded") => LlmFault::Overloaded,
        Some("rate_limited") => LlmFault::RateLimitedNoHint,
        Some("bad_request") => LlmFault::BadRequest,
        _ => return (StatusCode::BAD_REQUEST, "unknown fault").into_response(),
    };
    let Some(needle) = rule["contains"].as_str().filter(|t| !t.is_empty()) else {
        return (StatusCode::BAD_REQUEST, "contains: a non-empty string").into_response();
    };
    lock(&shared.rules).push((needle.to_string(), fault));
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_rules(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.rules).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn fault_response(shared: &Shared, body: &Value, fault: LlmFault) -> Response {
    match fault {
        LlmFault::Truncated => {
            let full = (shared.responder)(body).to_string();
            let half: String = full.chars().take(full.chars().count() / 2).collect();
            completion(body, half, "length", None)
        }
        LlmFault::Refusal(text) => completion(body, String::new(), "stop", Some(text)),
        LlmFault::InvalidJson => {
            let content = format!("Sure! Here is the JSON you asked for: {}", (shared.responder)(body));
            completion(body, content, "stop", None)
        }
        LlmFault::RateLimited { retry_after_secs } => {
            let message = "[synthetic] Token-per-minute limit for this model reached (limit 200000, used \
                           199800, requested 3100). Please try again later.";
            let mut response =
                error(StatusCode::TOO_MANY_REQUESTS, message, "tokens", None, Some("rate_limit_exceeded"));
            let h = response.headers_mut();
            h.insert("retry-after", retry_after_secs.into());
            h.insert("x-ratelimit-remaining-tokens", 0.into());
            h.insert("x-ratelimit-reset-tokens", format!("{retry_after_secs}s").parse().expect("ascii"));
            response
        }
        LlmFault::RateLimitedNoHint => {
            let message = "[synthetic] Too many requests; slow down.";
            error(StatusCode::TOO_MANY_REQUESTS, message, "requests", None, Some("rate_limit_exceeded"))
        }
        LlmFault::BadRequest => {
            let message =
                "[synthetic] Invalid 'messages[1].content': the text contains an unsupported sequence.";
            error(StatusCode::BAD_REQUEST, message, "invalid_request_error", Some("messages"), None)
        }
        LlmFault::InsufficientQuota => {
            let message = "[synthetic] Account quota exhausted; billing action required.";
            let quota = Some("insufficient_quota");
            error(StatusCode::TOO_MANY_REQUESTS, message, "insufficient_quota", None, quota)
        }
        LlmFault::Overloaded => {
            let message = "[synthetic] Upstream temporarily overloaded.";
            error(StatusCode::SERVICE_UNAVAILABLE, message, "server_error", None, None)
        }
        LlmFault::Hang => {
            tokio::time::sleep(HANG_FOR).await;
            error(StatusCode::GATEWAY_TIMEOUT, "[synthetic] gave up", "server_error", None, None)
        }
        LlmFault::ContextLengthExceeded => {
            let message = format!(
                "[synthetic] This model's maximum context length is 128000 tokens. However, your messages \
                 resulted in {} tokens. Please reduce the length of the messages.",
                128_000 + prompt_tokens(body)
            );
            let code = Some("context_length_exceeded");
            error(StatusCode::BAD_REQUEST, &message, "invalid_request_error", Some("messages"), code)
        }
        LlmFault::NoJsonSchema => {
            let message = "[synthetic] response_format json_schema is not supported";
            error(StatusCode::BAD_REQUEST, message, "invalid_request_error", Some("response_format"), None)
        }
        LlmFault::Unauthorized => unauthorized(),
    }
}

/// Roughly four characters per token, over the text of all messages.
fn prompt_tokens(body: &Value) -> usize {
    let text_len = |content: &Value| match content {
        Value::String(s) => s.chars().count(),
        Value::Array(parts) => {
            parts.iter().filter_map(|p| p.get("text")?.as_str()).map(|s| s.chars().count()).sum()
        }
        _ => 0,
    };
    let messages = body.get("messages").and_then(Value::as_array);
    messages.map_or(0, |m| m.iter().filter_map(|m| m.get("content")).map(text_len).sum()) / 4
}

fn completion(body: &Value, content: String, finish_reason: &str, refusal: Option<String>) -> Response {
    static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
    let model = body.get("model").and_then(Value::as_str).unwrap_or(DEFAULT_MODEL);
    let prompt = prompt_tokens(body);
    let limit = ["max_completion_tokens", "max_tokens"].iter().find_map(|k| body.get(*k)?.as_u64());
    let completion = match (finish_reason, limit) {
        ("length", Some(limit)) => limit as usize,
        _ => content.chars().count() / 4,
    };
    let content = if refusal.is_some() { Value::Null } else { Value::String(content) };
    let created = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    axum::Json(json!({
        "id": format!("chatcmpl-fake-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)),
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": refusal},
            "logprobs": null,
            "finish_reason": finish_reason
        }],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    }))
    .into_response()
}
