//! fetch_site against local fixtures (helpers in the fetcher's `tests` module).

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;

use super::super::tests::{c18_html, config, fetcher_for, hits, odd_site, page, redirect, serve};
use super::super::{FetchConfig, Fetcher};

fn host(headers: &HeaderMap) -> &str {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn site_fetches_homepage_about_and_careers() {
    let app = Router::new()
        .route("/", get(|| async { page("<h1>Acme</h1><p>We make anvils.</p>") }))
        .route("/about", get(|| async { page("<p>Founded 1947.</p>") }))
        .route("/careers", get(|| async { page("<p>Join us.</p>") }));
    let (addr, fixture_hits) = serve(app).await;
    let site = fetcher_for("acme.test", addr).fetch_site("http://acme.test").await;
    let urls: Vec<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls, ["http://acme.test/", "http://acme.test/about", "http://acme.test/careers"]);
    assert_eq!(site.pages[0].text, "Acme\nWe make anvils.");
    assert!(site.notes.is_empty() && !site.unsafe_url && !site.unreachable, "{site:?}");
    assert_eq!(hits(&fixture_hits).iter().filter(|p| *p == "/robots.txt").count(), 1);
}

#[tokio::test]
async fn site_honours_robots_and_falls_back_to_jobs() {
    let robots = "User-agent: *\nDisallow: /about\n";
    let app = Router::new()
        .route("/robots.txt", get(move || async move { ([(header::CONTENT_TYPE, "text/plain")], robots) }))
        .route("/", get(|| async { page("<p>Home</p>") }))
        .route("/about", get(|| async { page("<p>About</p>") }))
        .route("/jobs", get(|| async { page("<p>Jobs</p>") }));
    let (addr, fixture_hits) = serve(app).await;
    let site = fetcher_for("rules.test", addr).fetch_site("http://rules.test/").await;
    let urls: Vec<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls, ["http://rules.test/", "http://rules.test/jobs"]);
    assert_eq!(site.notes, ["http://rules.test/about: disallowed by robots.txt"]);
    let mut seen = hits(&fixture_hits);
    seen.sort();
    assert_eq!(seen, ["/", "/careers", "/jobs", "/robots.txt"]);
}

#[tokio::test]
async fn site_skips_non_html_and_oversized_pages() {
    let (addr, _) = odd_site().await;
    let small = FetchConfig { max_bytes: 100_000, ..config() };
    let fetcher = Fetcher::new(small).with_overrides(vec![("odd.test".into(), addr)], vec![addr]);
    let site = fetcher.fetch_site("http://odd.test/").await;
    assert_eq!(site.pages.len(), 1);
    assert_eq!(
        site.notes,
        [
            "http://odd.test/about: not an HTML page (application/pdf)",
            "http://odd.test/careers: page too large"
        ]
    );
}

#[tokio::test]
async fn c18_injection_page_through_the_fetcher() {
    let html = c18_html();
    let app = Router::new().route("/", get(move || async move { page(&html) }));
    let (addr, _) = serve(app).await;
    let site = fetcher_for("coho.test", addr).fetch_site("http://coho.test/").await;
    let home = site.pages.first().expect("homepage");
    assert_eq!(home.title.as_deref(), Some("Coho Winery – Sustainable wines"));
    assert!(home.text.contains("We are a family winery with 40 employees"), "{}", home.text);
    assert!(home.text.contains("Family winery, 40 employees, selling to restaurants"));
    for bad in ["ignore all previous", "Series C", "169.254", "APPROVED", "verified", "SYSTEM"] {
        assert!(!home.text.contains(bad), "{bad:?} leaked: {}", home.text);
    }
    assert_eq!(
        site.notes,
        [
            "http://coho.test/about: HTTP 404",
            "http://coho.test/careers: HTTP 404",
            "http://coho.test/jobs: HTTP 404"
        ]
    );
}

#[tokio::test]
async fn site_follows_a_move_to_another_origin_and_reads_its_robots() {
    let app = Router::new()
        .route(
            "/",
            get(|headers: HeaderMap| async move {
                if host(&headers).starts_with("www.") {
                    page("<p>Welcome</p>")
                } else {
                    redirect("http://www.bare.test/")
                }
            }),
        )
        .route(
            "/robots.txt",
            get(|headers: HeaderMap| async move {
                let www = host(&headers).starts_with("www.");
                (
                    [(header::CONTENT_TYPE, "text/plain")],
                    if www { "User-agent: *\nDisallow: /about\n" } else { "" },
                )
            }),
        )
        .route("/careers", get(|| async { page("<p>Careers</p>") }));
    let (addr, fixture_hits) = serve(app).await;
    let fetcher = Fetcher::new(config())
        .with_overrides(vec![("bare.test".into(), addr), ("www.bare.test".into(), addr)], vec![addr]);
    let site = fetcher.fetch_site("http://bare.test").await;
    let urls: Vec<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls, ["http://www.bare.test/", "http://www.bare.test/careers"]);
    assert_eq!(site.notes, ["http://www.bare.test/about: disallowed by robots.txt"]);
    assert_eq!(hits(&fixture_hits).iter().filter(|p| *p == "/robots.txt").count(), 2);
}

#[tokio::test]
async fn robots_failures_follow_rfc_9309() {
    // A robots.txt that never arrives (redirect loop) means no rules.
    let app = Router::new()
        .route("/robots.txt", get(|| async { redirect("/robots.txt") }))
        .route("/", get(|| async { page("<p>Home</p>") }));
    let (addr, _) = serve(app).await;
    let site = fetcher_for("loop.test", addr).fetch_site("http://loop.test/").await;
    assert_eq!(site.pages.len(), 1);
    assert_eq!(site.notes[0], "http://loop.test/robots.txt: unreachable (more than 5 redirects); ignored");

    // A server error on robots.txt means stay out entirely.
    let app = Router::new()
        .route("/robots.txt", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
        .route("/", get(|| async { page("<p>Home</p>") }));
    let (addr, fixture_hits) = serve(app).await;
    let site = fetcher_for("down.test", addr).fetch_site("http://down.test/").await;
    assert!(site.pages.is_empty() && !site.unreachable && !site.unsafe_url, "{site:?}");
    assert_eq!(
        site.notes,
        [
            "http://down.test/: disallowed by robots.txt",
            "http://down.test/robots.txt: HTTP 503; treated as disallowing everything",
            "http://down.test/about: disallowed by robots.txt",
            "http://down.test/careers: disallowed by robots.txt",
        ]
    );
    assert_eq!(hits(&fixture_hits), ["/robots.txt"]);
}
