//! Fetcher tests against local axum fixtures standing in for public sites (through
//! `with_overrides`), and a "trap" listener that must never see a connection.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Body as AxumBody;
use axum::extract::{Path, Request};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use super::*;

/// The c18 case page (hidden instructions in a homepage).
pub(super) fn c18_html() -> String {
    String::from_utf8(app::testdata::read_shared("cases/c18_prompt_injection_homepage.html"))
        .expect("c18 is UTF-8")
}

/// (probe number, website) rows of the c17 case file.
pub(super) fn probes() -> Vec<(usize, String)> {
    let csv =
        String::from_utf8(app::testdata::read_shared("cases/c17_ssrf_websites.csv")).expect("c17 is UTF-8");
    let rows: Vec<(usize, String)> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.splitn(3, ',');
            let n = cols.next()?.trim().strip_prefix("Probe ")?.parse().ok()?;
            Some((n, cols.next()?.trim().to_string()))
        })
        .collect();
    assert_eq!(rows.len(), 16);
    rows
}

pub(super) fn probe(n: usize) -> String {
    probes().into_iter().find(|(i, _)| *i == n).map(|(_, url)| url).expect("probe exists")
}

/// Paths requested from a fixture, in order.
pub(super) type Hits = Arc<Mutex<Vec<String>>>;

pub(super) async fn serve(app: Router) -> (SocketAddr, Hits) {
    let hits: Hits = Arc::default();
    let log = Arc::clone(&hits);
    let app = app.layer(middleware::from_fn(move |req: Request, next: Next| {
        let log = Arc::clone(&log);
        async move {
            log.lock().expect("hits lock").push(req.uri().path().to_string());
            next.run(req).await
        }
    }));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind fixture");
    let addr = listener.local_addr().expect("fixture address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("fixture server") });
    (addr, hits)
}

pub(super) fn hits(h: &Hits) -> Vec<String> {
    h.lock().expect("hits lock").clone()
}

/// A listener nobody may reach: any connection attempt would wait in its backlog.
pub(super) struct Trap {
    listener: TcpListener,
    pub(super) addr: SocketAddr,
}

impl Trap {
    pub(super) async fn new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind trap");
        let addr = listener.local_addr().expect("trap address");
        Trap { listener, addr }
    }

    pub(super) async fn assert_untouched(&self) {
        let knock = tokio::time::timeout(Duration::from_millis(200), self.listener.accept()).await;
        assert!(knock.is_err(), "the trap at {} was contacted", self.addr);
    }
}

pub(super) fn page(body: &str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body.to_string()).into_response()
}

pub(super) fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())]).into_response()
}

pub(super) fn config() -> FetchConfig {
    FetchConfig {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        ..Default::default()
    }
}

/// A fetcher for which `host` is the fixture at `addr`.
pub(super) fn fetcher_for(host: &str, addr: SocketAddr) -> Fetcher {
    Fetcher::new(config()).with_overrides(vec![(host.to_string(), addr)], vec![addr])
}

/// The fixtures speak plain HTTP, so https probe URLs are fetched over http.
pub(super) fn over_http(url: &str) -> String {
    url.replacen("https://", "http://", 1)
}

pub(super) fn assert_unsafe(outcome: &FetchOutcome, what: &str) {
    assert!(matches!(outcome, FetchOutcome::Unsafe(_)), "{what}: expected Unsafe, got {outcome:?}");
}

#[tokio::test]
async fn c17_probes_1_to_13_are_refused_before_any_request() {
    let fetcher = Fetcher::new(config());
    for (n, url) in probes().into_iter().filter(|(n, _)| *n <= 13) {
        assert!(guard::check_url(&url).is_err(), "probe {n}: check_url accepted {url}");
        assert_unsafe(&fetcher.fetch(&url).await, &format!("probe {n} {url}"));
        let site = fetcher.fetch_site(&url).await;
        assert!(site.unsafe_url && site.pages.is_empty() && site.notes.len() == 1, "probe {n}: {site:?}");
    }
    assert_eq!(fetcher.attempts.load(Ordering::Relaxed), 0, "a request was made");
}

#[tokio::test]
async fn c17_probe_14_redirects_to_internal_addresses_are_refused() {
    let trap = Trap::new().await;
    let to_trap = format!("http://127.0.0.1:{}/", trap.addr.port());
    let to_mapped = format!("http://[::ffff:127.0.0.1]:{}/", trap.addr.port());
    let app = Router::new()
        .route("/", get(|| async { redirect("http://169.254.169.254/") }))
        .route("/to-trap", get(move || async move { redirect(&to_trap) }))
        .route("/to-mapped", get(move || async move { redirect(&to_mapped) }))
        .route("/to-loopback-name", get(|| async { redirect("http://resolves-to-loopback.test/") }))
        .route("/to-file", get(|| async { redirect("file:///etc/passwd") }));
    let (addr, fixture_hits) = serve(app).await;
    let fetcher = Fetcher::new(config()).with_overrides(
        vec![("redirects-to-internal.test".into(), addr), ("resolves-to-loopback.test".into(), trap.addr)],
        vec![addr],
    );
    let start = over_http(&probe(14));
    assert_eq!(start, "http://redirects-to-internal.test/");
    assert_unsafe(&fetcher.fetch(&start).await, "redirect to metadata");
    for path in ["to-trap", "to-mapped", "to-loopback-name", "to-file"] {
        assert_unsafe(&fetcher.fetch(&format!("{start}{path}")).await, path);
    }
    let site = fetcher.fetch_site(&start).await;
    assert!(site.unsafe_url && site.pages.is_empty(), "{site:?}");
    // Each first hop really reached the fixture; the site fetch stopped after the homepage.
    assert_eq!(
        hits(&fixture_hits),
        ["/", "/to-trap", "/to-mapped", "/to-loopback-name", "/to-file", "/robots.txt", "/"]
    );
    trap.assert_untouched().await;
}

#[tokio::test]
async fn c17_probe_15_loopback_dns_answer_is_refused() {
    let trap = Trap::new().await;
    let fetcher = Fetcher::new(config())
        .with_overrides(vec![("resolves-to-loopback.test".into(), trap.addr)], Vec::new());
    let outcome = fetcher.fetch(&probe(15)).await;
    assert_eq!(
        outcome,
        FetchOutcome::Unsafe("resolves-to-loopback.test resolves to loopback address 127.0.0.1".into())
    );
    assert!(fetcher.fetch_site(&probe(15)).await.unsafe_url);
    assert_eq!(fetcher.attempts.load(Ordering::Relaxed), 0);

    // The resolver inside the client refuses too, so an answer that changes after the
    // check (DNS rebinding) still never gets connected to.
    let client = fetcher.client.as_ref().expect("client");
    let error = client.get("http://resolves-to-loopback.test/").send().await.expect_err("must fail");
    assert_unsafe(&classify(error), "client resolver");
    trap.assert_untouched().await;
}

#[tokio::test]
async fn c17_probe_16_public_site_is_fetched() {
    let app = Router::new().route("/", get(|| async { page("<title>OK</title><p>Public &amp; fine</p>") }));
    let (addr, _) = serve(app).await;
    let outcome = fetcher_for("public-ok.example", addr).fetch(&over_http(&probe(16))).await;
    let expected = FetchOutcome::Page {
        url: "http://public-ok.example/".into(),
        title: Some("OK".into()),
        text: "Public & fine".into(),
    };
    assert_eq!(outcome, expected);
    // Without the allow list the same fixture address is refused.
    let strict = Fetcher::new(config()).with_overrides(vec![("public-ok.example".into(), addr)], Vec::new());
    assert_unsafe(&strict.fetch(&over_http(&probe(16))).await, "fixture not allowed");
}

pub(super) async fn odd_site() -> (SocketAddr, Hits) {
    let big = format!("<p>{}</p>", "x".repeat(300_000));
    let app = Router::new()
        .route("/", get(|| async { page("<p>Home</p>") }))
        .route("/about", get(|| async { ([(header::CONTENT_TYPE, "application/pdf")], "%PDF-1.4") }))
        .route("/careers", get(move || async move { page(&big) }))
        .route("/stream", get(|| async { streamed(300_000) }))
        .route(
            "/r/{n}",
            get(|Path(n): Path<u32>| async move {
                if n == 0 { page("<p>Arrived</p>") } else { redirect(&format!("/r/{}", n - 1)) }
            }),
        );
    serve(app).await
}

/// An HTML body sent in chunks without a Content-Length.
pub(super) fn streamed(len: usize) -> Response {
    let chunks = (0..len / 1000).map(|_| Ok::<_, std::io::Error>(vec![b'y'; 1000]));
    let body = AxumBody::from_stream(futures::stream::iter(chunks));
    ([(header::CONTENT_TYPE, "text/html")], body).into_response()
}

#[tokio::test]
async fn non_html_and_oversized_bodies_are_refused() {
    let (addr, _) = odd_site().await;
    let small = FetchConfig { max_bytes: 100_000, ..config() };
    let fetcher = Fetcher::new(small).with_overrides(vec![("odd.test".into(), addr)], vec![addr]);
    assert_eq!(fetcher.fetch("http://odd.test/about").await, FetchOutcome::NotHtml("application/pdf".into()));
    assert_eq!(fetcher.fetch("http://odd.test/careers").await, FetchOutcome::TooLarge);
    assert_eq!(fetcher.fetch("http://odd.test/stream").await, FetchOutcome::TooLarge);
    assert!(matches!(fetcher.fetch("http://odd.test/").await, FetchOutcome::Page { .. }));
}

#[tokio::test]
async fn redirect_chains_stop_after_five_hops() {
    let (addr, fixture_hits) = odd_site().await;
    let fetcher = fetcher_for("odd.test", addr);
    let outcome = fetcher.fetch("http://odd.test/r/5").await;
    assert!(
        matches!(&outcome, FetchOutcome::Page { url, .. } if url == "http://odd.test/r/0"),
        "{outcome:?}"
    );
    let before = hits(&fixture_hits).len();
    let outcome = fetcher.fetch("http://odd.test/r/6").await;
    assert_eq!(outcome, FetchOutcome::Unreachable("more than 5 redirects".into()));
    assert_eq!(hits(&fixture_hits)[before..], ["/r/6", "/r/5", "/r/4", "/r/3", "/r/2", "/r/1"]);
}

/// A listener whose accept queue is full, so the kernel ignores further handshakes.
pub(super) async fn silent_listener() -> (SocketAddr, TcpListener, Vec<tokio::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind(SocketAddr::from(([127, 0, 0, 1], 0))).expect("bind");
    let listener = socket.listen(0).expect("listen");
    let addr = listener.local_addr().expect("address");
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let attempt = tokio::time::timeout(Duration::from_millis(100), tokio::net::TcpStream::connect(addr));
        if let Ok(Ok(stream)) = attempt.await {
            fillers.push(stream);
        }
    }
    (addr, listener, fillers)
}

#[tokio::test]
async fn unreachable_hosts_are_reported_quickly() {
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("address");
    let fetcher = fetcher_for("closed.test", closed);
    let started = Instant::now();
    assert!(matches!(fetcher.fetch("http://closed.test/").await, FetchOutcome::Unreachable(_)));
    let site = fetcher.fetch_site("closed.test").await;
    assert!(site.unreachable && !site.unsafe_url && site.pages.is_empty(), "{site:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Refused connection: one request for the page, one for robots.txt, then the site stops.
    assert_eq!(fetcher.attempts.load(Ordering::Relaxed), 2);

    // A host that never answers the handshake: bounded by connect_timeout.
    let (silent, _listener, _fillers) = silent_listener().await;
    let quick = FetchConfig { connect_timeout: Duration::from_millis(300), ..config() };
    let fetcher = Fetcher::new(quick).with_overrides(vec![("silent.test".into(), silent)], vec![silent]);
    let started = Instant::now();
    let outcome = fetcher.fetch("http://silent.test/").await;
    assert!(matches!(outcome, FetchOutcome::Unreachable(_)), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_millis(1500), "took {:?}", started.elapsed());

    let fetcher = Fetcher::new(config());
    let outcome = fetcher.fetch("https://no-such-host.invalid/").await;
    assert!(
        matches!(&outcome, FetchOutcome::Unreachable(r) if r.contains("no-such-host.invalid")),
        "{outcome:?}"
    );
    assert!(fetcher.fetch_site("no-such-host.invalid").await.unreachable);
}
