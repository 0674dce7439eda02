//! The real client against the fake server, one test per outcome.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{LlmClient, LlmConfig, LlmRequest};
use crate::providers::error::ProviderError;
use crate::providers::fake::openai::{FakeOpenAi, LlmFault, Responder};

fn schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["company", "icp_score", "note"],
        "properties": {
            "company": {"type": "string"},
            "icp_score": {"type": "integer", "minimum": 0, "maximum": 100},
            "note": {"type": ["string", "null"]}
        }
    })
}

fn answer() -> Value {
    json!({"company": "Northwind Traders", "icp_score": 72, "note": null})
}

fn request() -> LlmRequest {
    LlmRequest {
        schema_name: "company_fit".into(),
        schema: schema(),
        system: "You score companies.".into(),
        user: "Score Northwind Traders. ".repeat(40),
        user_short: None,
    }
}

async fn fake_with(responder: Responder) -> FakeOpenAi {
    FakeOpenAi::start(0, Duration::ZERO, responder).await.expect("fake server starts")
}

async fn fake() -> FakeOpenAi {
    fake_with(Arc::new(|_: &Value| answer())).await
}

fn client(fake: &FakeOpenAi) -> LlmClient {
    LlmClient::new(LlmConfig {
        base_url: fake.base_url(),
        timeout: Duration::from_secs(5),
        max_tokens: 300,
        ..LlmConfig::new("sk-test-key")
    })
}

fn unusable_detail(result: Result<super::Completion, ProviderError>) -> String {
    match result {
        Err(ProviderError::Unusable { provider: "LLM", detail }) => detail,
        other => panic!("expected Unusable, got {other:?}"),
    }
}

#[tokio::test]
async fn structured_success_records_usage_and_model() {
    let fake = fake().await;
    let llm = client(&fake);
    assert_eq!(llm.model(), "gpt-4o-mini");
    let done = llm.complete(&request()).await.unwrap();
    assert_eq!(done.value, answer());
    assert_eq!(done.model, "gpt-4o-mini");
    assert_eq!(done.calls, 1);
    assert!(done.tokens_in > 200, "{done:?}");
    assert_eq!(done.tokens_out, answer().to_string().len() as u32 / 4);

    let body = &fake.bodies()[0];
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["name"], "company_fit");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    assert_eq!(body["response_format"]["json_schema"]["schema"], schema());
    assert_eq!(body["max_completion_tokens"], 300);
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["content"], request().user);
}

#[tokio::test]
async fn refusal_is_refused() {
    let fake = fake().await;
    fake.push_faults([LlmFault::Refusal("I can't help with that.".into())]);
    let result = client(&fake).complete(&request()).await;
    assert_eq!(result, Err(ProviderError::Refused("I can't help with that.".into())));
}

#[tokio::test]
async fn truncated_once_retries_with_twice_the_tokens() {
    let fake = fake().await;
    fake.push_faults([LlmFault::Truncated]);
    let done = client(&fake).complete(&request()).await.unwrap();
    assert_eq!(done.value, answer());
    assert_eq!(done.calls, 2);
    let bodies = fake.bodies();
    assert_eq!(bodies[0]["max_completion_tokens"], 300);
    assert_eq!(bodies[1]["max_completion_tokens"], 600);
    // Usage of both calls is summed: the cut-off call reports its full limit.
    assert_eq!(done.tokens_out, 300 + answer().to_string().len() as u32 / 4);
}

#[tokio::test]
async fn truncated_twice_is_unusable() {
    let fake = fake().await;
    fake.push_faults([LlmFault::Truncated, LlmFault::Truncated]);
    let detail = unusable_detail(client(&fake).complete(&request()).await);
    assert_eq!(detail, "answer was cut off at the token limit");
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn invalid_json_is_unusable() {
    let fake = fake().await;
    fake.push_faults([LlmFault::InvalidJson]);
    let detail = unusable_detail(client(&fake).complete(&request()).await);
    assert_eq!(detail, "answer is not valid JSON");
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn schema_mismatch_is_unusable_even_in_strict_mode() {
    let fake =
        fake_with(Arc::new(|_: &Value| json!({"company": "N", "icp_score": "high", "note": null}))).await;
    let detail = unusable_detail(client(&fake).complete(&request()).await);
    assert!(detail.contains("does not match the schema at $.icp_score"), "{detail}");
}

#[tokio::test]
async fn rate_limit_carries_retry_after() {
    let fake = fake().await;
    fake.push_faults([LlmFault::RateLimited { retry_after_secs: 20 }]);
    let result = client(&fake).complete(&request()).await;
    let Err(ProviderError::RateLimited { provider: "LLM", retry_after, .. }) = result else {
        panic!("expected RateLimited, got {result:?}");
    };
    assert_eq!(retry_after, Some(Duration::from_secs(20)));
    assert_eq!(fake.requests(), 1, "no internal retry");
}

#[tokio::test]
async fn insufficient_quota_is_permanent() {
    let fake = fake().await;
    fake.push_faults([LlmFault::InsufficientQuota]);
    let result = client(&fake).complete(&request()).await;
    let Err(ProviderError::Permanent { provider: "LLM", detail }) = result else {
        panic!("expected Permanent, got {result:?}");
    };
    assert_eq!(detail, "quota exhausted; billing action required");
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn overloaded_is_transient() {
    let fake = fake().await;
    fake.push_faults([LlmFault::Overloaded]);
    let result = client(&fake).complete(&request()).await;
    let Err(ProviderError::Transient { retry_after: None, detail, .. }) = result else {
        panic!("expected Transient, got {result:?}");
    };
    assert!(detail.contains("503"), "{detail}");
    assert_eq!(fake.requests(), 1, "no internal retry");
}

#[tokio::test]
async fn hang_is_transient_within_the_timeout() {
    let fake = fake().await;
    fake.push_faults([LlmFault::Hang]);
    let llm = LlmClient::new(LlmConfig {
        base_url: fake.base_url(),
        timeout: Duration::from_millis(300),
        ..LlmConfig::new("sk-test-key")
    });
    let started = Instant::now();
    let result = llm.complete(&request()).await;
    let elapsed = started.elapsed();
    assert!(matches!(result, Err(ProviderError::Transient { .. })), "{result:?}");
    assert!(elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn context_length_retries_with_the_short_input() {
    let fake = fake().await;
    fake.push_faults([LlmFault::ContextLengthExceeded]);
    let req = LlmRequest { user_short: Some("Score Northwind.".into()), ..request() };
    let done = client(&fake).complete(&req).await.unwrap();
    assert_eq!(done.value, answer());
    assert_eq!(done.calls, 2);
    let bodies = fake.bodies();
    assert_eq!(bodies[0]["messages"][1]["content"], req.user);
    assert_eq!(bodies[1]["messages"][1]["content"], "Score Northwind.");
}

#[tokio::test]
async fn context_length_after_shrinking_is_too_long_for_good() {
    let too_long = |r: Result<super::Completion, ProviderError>| match r {
        Err(e @ ProviderError::TooLong { .. }) => {
            assert!(!e.retryable(), "{e}");
            e.to_string()
        }
        other => panic!("expected TooLong, got {other:?}"),
    };
    let fake = fake().await;
    fake.push_faults([LlmFault::ContextLengthExceeded]);
    let detail = too_long(client(&fake).complete(&request()).await);
    assert!(detail.contains("input too long for the model"), "{detail}");
    assert_eq!(fake.requests(), 1);

    fake.push_faults([LlmFault::ContextLengthExceeded, LlmFault::ContextLengthExceeded]);
    let req = LlmRequest { user_short: Some("short".into()), ..request() };
    too_long(client(&fake).complete(&req).await);
    assert_eq!(fake.requests(), 3, "shrunk once, then given up");
}

#[tokio::test]
async fn missing_json_schema_support_falls_back_to_json_object() {
    let fake = fake().await;
    fake.set_json_schema_supported(false);
    let llm = client(&fake);
    let done = llm.complete(&request()).await.unwrap();
    assert_eq!(done.value, answer());
    assert_eq!(done.calls, 2);
    let bodies = fake.bodies();
    assert_eq!(bodies[0]["response_format"]["type"], "json_schema");
    assert_eq!(bodies[1]["response_format"], json!({"type": "json_object"}));
    let system = bodies[1]["messages"][0]["content"].as_str().unwrap();
    assert!(system.starts_with("You score companies.") && system.contains("\"icp_score\""), "{system}");

    // Remembered by clones too: the next call goes straight to json_object.
    let done = llm.clone().complete(&request()).await.unwrap();
    assert_eq!(done.calls, 1);
    assert_eq!(fake.bodies()[2]["response_format"]["type"], "json_object");
}

#[tokio::test]
async fn json_object_fallback_still_validates_the_schema() {
    let fake = fake_with(Arc::new(|_: &Value| json!({"company": "N", "icp_score": 72}))).await;
    fake.set_json_schema_supported(false);
    let detail = unusable_detail(client(&fake).complete(&request()).await);
    assert!(detail.contains("missing required property `note`"), "{detail}");
}

#[tokio::test]
async fn unauthorized_is_permanent() {
    let fake = fake().await;
    fake.push_faults([LlmFault::Unauthorized]);
    let result = client(&fake).complete(&request()).await;
    let Err(ProviderError::Permanent { detail, .. }) = result else { panic!("{result:?}") };
    assert_eq!(detail, "API key rejected (HTTP 401)");

    let keyless = LlmClient::new(LlmConfig { base_url: fake.base_url(), ..LlmConfig::new("") });
    let result = keyless.complete(&request()).await;
    assert!(matches!(result, Err(ProviderError::Permanent { .. })), "{result:?}");
}

#[tokio::test]
async fn unreachable_server_is_transient() {
    let fake = fake().await;
    let url = fake.base_url();
    drop(fake);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let llm = LlmClient::new(LlmConfig { base_url: url, ..LlmConfig::new("sk-test-key") });
    let result = llm.complete(&request()).await;
    assert!(matches!(result, Err(ProviderError::Transient { .. })), "{result:?}");
}

#[tokio::test]
async fn fake_lists_models_and_demands_a_key() {
    let fake = fake().await;
    let http = reqwest::Client::new();
    let url = format!("{}/models", fake.base_url());
    let listed: Value = http.get(&url).bearer_auth("k").send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["data"][0]["id"], "gpt-4o-mini");
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);
}
