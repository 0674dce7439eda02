//! The real client against the fake Exa, one test per outcome the pipeline must tell apart.

use std::time::{Duration, Instant};

use super::*;
use crate::providers::fake::exa::{ExaFault, FakeExa};

async fn setup(timeout: Duration) -> (FakeExa, ExaClient) {
    let fake = FakeExa::start(0, Duration::ZERO).await.expect("fake Exa starts");
    let cfg = ExaConfig { base_url: fake.base_url(), timeout, ..ExaConfig::new("test-key") };
    (fake, ExaClient::new(cfg))
}

fn search_in(domain: &str) -> SearchRequest {
    SearchRequest {
        query: "Coho Winery hiring".to_owned(),
        category: Some(Category::Company),
        include_domains: vec![domain.to_owned()],
        num_results: 3,
        text_max_chars: 500,
    }
}

#[tokio::test]
async fn normal_search_returns_hits_at_the_included_domain_and_records_cost() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    let found = client.search(&search_in("coho-winery.example")).await.expect("search works");
    assert_eq!(found.hits.len(), 3);
    assert!(found.hits.iter().all(|h| h.url.starts_with("https://coho-winery.example/")));
    assert_eq!(found.hits[0].url, "https://coho-winery.example/");
    let text = found.hits[0].text.as_deref().expect("text");
    assert!(text.contains("Coho Winery hiring"), "{text}");
    assert!((found.cost_usd - 0.005).abs() < 1e-12, "{}", found.cost_usd);
    assert!(found.request_id.is_some());
    assert_eq!(fake.requests(), 1);
    // Callers cache answers as JSON.
    let cached: Found = serde_json::from_value(serde_json::to_value(&found).unwrap()).unwrap();
    assert_eq!(cached, found);
}

#[tokio::test]
async fn request_body_uses_the_documented_field_names() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    client.search(&search_in("coho-winery.example")).await.expect("search works");
    let body = &fake.bodies()[0];
    assert_eq!(body["query"], "Coho Winery hiring");
    assert_eq!(body["type"], "auto");
    assert_eq!(body["category"], "company");
    assert_eq!(body["includeDomains"], serde_json::json!(["coho-winery.example"]));
    assert_eq!(body["numResults"], 3);
    assert_eq!(body["contents"]["text"]["maxCharacters"], 500);

    let bare = SearchRequest { category: None, include_domains: vec![], ..search_in("x") };
    let found = client.search(&bare).await.expect("search works");
    assert!(found.hits[0].url.starts_with("https://news.example/coho-winery-hiring"));
    let body = &fake.bodies()[1];
    assert!(body.get("category").is_none() && body.get("includeDomains").is_none(), "{body}");
}

#[tokio::test]
async fn contents_returns_one_hit_per_url() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    let urls = vec!["https://a.example/x".to_owned(), "https://b.example/".to_owned()];
    let found = client.contents(&urls, 1000).await.expect("contents works");
    let got: Vec<&str> = found.hits.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(got, ["https://a.example/x", "https://b.example/"]);
    assert_eq!(found.hits[0].text.as_deref(), Some("Contents of https://a.example/x."));
    assert!((found.cost_usd - 0.002).abs() < 1e-12, "{}", found.cost_usd);
    let body = &fake.bodies()[0];
    assert_eq!(body["urls"], serde_json::json!(urls));
    assert_eq!(body["text"]["maxCharacters"], 1000);
}

#[tokio::test]
async fn html_bad_gateway_is_transient_and_says_502_not_json() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    fake.push_faults([ExaFault::HtmlBadGateway]);
    let err = client.search(&search_in("a.example")).await.expect_err("502 fails");
    let ProviderError::Transient { detail, .. } = &err else { panic!("want Transient, got {err:?}") };
    assert!(detail.contains("502") && detail.contains("not JSON"), "{detail}");
    // The fault was used up: the next call is answered normally.
    assert!(client.search(&search_in("a.example")).await.is_ok());
}

#[tokio::test]
async fn rate_limit_carries_the_retry_after_hint() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    fake.push_faults([ExaFault::RateLimited { retry_after_secs: 7 }]);
    let err = client.search(&search_in("a.example")).await.expect_err("429 fails");
    let ProviderError::RateLimited { retry_after, detail, .. } = &err else { panic!("got {err:?}") };
    assert_eq!(*retry_after, Some(Duration::from_secs(7)));
    assert!(detail.contains("429") && detail.contains("Too Many Requests"), "{detail}");
    assert!(err.retryable());
}

#[tokio::test]
async fn empty_results_are_ok_with_zero_hits() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    fake.push_faults([ExaFault::Empty]);
    let found = client.search(&search_in("a.example")).await.expect("zero results is not an error");
    assert!(found.hits.is_empty());
    assert_eq!(found.request_id.as_deref(), Some("synthetic-3"));
    assert_eq!(found.cost_usd, 0.0);
}

#[tokio::test]
async fn results_without_text_are_ok_with_text_none() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    fake.push_faults([ExaFault::NoText]);
    let found = client.search(&search_in("a.example")).await.expect("null text is fine");
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].url, "https://coho-winery.example/news");
    assert_eq!(found.hits[0].title.as_deref(), Some("News"));
    assert_eq!(found.hits[0].text, None);
}

#[tokio::test]
async fn unauthorized_is_permanent() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    fake.push_faults([ExaFault::Unauthorized]);
    let err = client.search(&search_in("a.example")).await.expect_err("401 fails");
    assert!(matches!(&err, ProviderError::Permanent { detail, .. } if detail.contains("API key rejected")));
    assert!(!err.retryable());

    // A missing key is refused by the fake itself.
    let keyless = ExaClient::new(ExaConfig { base_url: fake.base_url(), ..ExaConfig::new("") });
    let err = keyless.search(&search_in("a.example")).await.expect_err("no key fails");
    assert!(matches!(err, ProviderError::Permanent { .. }), "{err:?}");

    // A key that cannot be sent as a header is a configuration problem, and is not echoed.
    let broken = ExaClient::new(ExaConfig { base_url: fake.base_url(), ..ExaConfig::new("sec\nret") });
    let err = broken.search(&search_in("a.example")).await.expect_err("bad key fails");
    assert!(matches!(&err, ProviderError::Permanent { .. }) && !err.to_string().contains("sec"), "{err:?}");
}

#[tokio::test]
async fn hang_is_transient_within_the_client_timeout() {
    let (fake, client) = setup(Duration::from_millis(300)).await;
    fake.push_faults([ExaFault::Hang]);
    let started = Instant::now();
    let err = client.search(&search_in("a.example")).await.expect_err("hang fails");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(matches!(err, ProviderError::Transient { .. }), "{err:?}");
}

#[tokio::test]
async fn unreachable_server_is_transient() {
    let (fake, client) = setup(Duration::from_secs(5)).await;
    drop(fake);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = client.search(&search_in("a.example")).await.expect_err("nobody listens");
    assert!(matches!(err, ProviderError::Transient { .. }), "{err:?}");
}

#[test]
fn status_classification() {
    let permanent = |r: Result<Found, ProviderError>| matches!(r, Err(ProviderError::Permanent { .. }));
    let credits =
        br#"{"requestId":"r","error":"You have exceeded your credits limit","tag":"NO_MORE_CREDITS"}"#;
    assert!(permanent(classify(402, None, b"{}")));
    assert!(permanent(classify(403, None, b"")));
    assert!(permanent(classify(400, None, credits)));
    // A 400 about this one query fails the row, not the campaign.
    let Err(ProviderError::Rejected { detail, .. }) =
        classify(400, None, br#"{"error":"numResults too big"}"#)
    else {
        panic!("400 rejects the row")
    };
    assert!(detail.contains("400") && detail.contains("numResults too big"), "{detail}");
    assert!(matches!(classify(503, None, b"{}"), Err(ProviderError::Transient { .. })));
    assert!(matches!(classify(200, None, b"<html>"), Err(ProviderError::Unusable { .. })));
    assert!(matches!(classify(200, None, br#"{"data":[]}"#), Err(ProviderError::Unusable { .. })));
    let mixed = br#"{"results":[{"url":"ftp://x/f"},{"url":"javascript:alert(1)"},{"url":"https://ok.example/","text":"  "}]}"#;
    let found = classify(200, None, mixed).expect("ok");
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].text, None);
}
