//! Security hardening: request-size caps on server functions, security headers, the
//! import route's ownership check, the event stream of a deleted campaign, and the demo
//! command's refusal to seed a public site.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use common::spawn_app;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;

/// The app on a real socket (with client addresses, as in production).
async fn serve(app: &common::TestApp) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = app.router.clone().into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    addr
}

const FORM: &str = "application/x-www-form-urlencoded";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn oversize_server_function_bodies_get_413_in_words_and_the_server_stays_up(pool: PgPool) {
    let app = spawn_app(pool);
    let base = format!("http://{}", serve(&app).await);
    let http = reqwest::Client::new();
    let words = serde_json::json!({"Refused": "That is too much to send at once (more than 1 MB)."});
    let padding = "a".repeat(2 * 1024 * 1024);

    // With Content-Length, refused before anything is read.
    let r = http
        .post(format!("{base}/api/auth/login"))
        .header(header::CONTENT_TYPE, FORM)
        .body(format!("email=x%40example.com&password={padding}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), words);

    // Streamed without a length: refused once the cap is reached while reading.
    let chunks: Vec<Result<String, std::io::Error>> =
        std::iter::once("email=x%40example.com&password=".into())
            .chain((0..32).map(|_| "b".repeat(64 * 1024)))
            .map(Ok)
            .collect();
    let r = http
        .post(format!("{base}/api/auth/signup"))
        .header(header::CONTENT_TYPE, FORM)
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), words);

    // Every server function has the cap (the paste route has its own, larger one).
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let r = http.post(format!("{base}{path}")).header(header::CONTENT_TYPE, FORM).body(padding.clone());
        let status = r.send().await.unwrap().status();
        if path == "/api/campaigns/add-companies" {
            assert_ne!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        } else {
            assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        }
    }

    // Still serving, and normal calls still work.
    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!((health.status(), health.text().await.unwrap().as_str()), (StatusCode::OK, "ok"));
    let signup = http
        .post(format!("{base}/api/auth/signup"))
        .header(header::CONTENT_TYPE, FORM)
        .header(header::ACCEPT, "application/json")
        .body("email=after%40example.com&password=correct+horse+battery")
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::OK);
    assert_eq!(signup.json::<serde_json::Value>().await.unwrap()["email"], "after@example.com");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_paste_of_the_largest_plans_companies_fits_and_a_bigger_one_is_refused_in_words(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("paste@example.com").await;
    sqlx::query("UPDATE users SET plan = 'pro'").execute(&pool).await.unwrap();
    let c = app.campaign(&t, "Everything").await;
    // 50,000 companies (the importer's row limit and the pro plan's), about 3 MB encoded.
    let text: String = (0..50_000)
        .map(|i| format!("Company {i:05} Holdings, https://www.company-{i:05}-holdings.example\n"))
        .collect();
    let r = app.call("/api/campaigns/add-companies", &[("id", &c), ("text", &text)], Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", &r.body[..r.body.len().min(500)]);
    assert_eq!(r.json()["added"], 50_000);
    let last: String = sqlx::query_scalar("SELECT domain FROM companies ORDER BY position DESC LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(last, "company-49999-holdings.example");

    let c2 = app.campaign(&t, "Too much").await;
    let huge = "x".repeat(21 * 1024 * 1024);
    let r = app.call("/api/campaigns/add-companies", &[("id", &c2), ("text", &huge)], Some(&t)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.json(),
        serde_json::json!({"Refused": "That is too much to send at once (more than 20 MB). Paste fewer \
                                       companies at a time, or drop them as a CSV file."})
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_response_carries_the_security_headers(pool: PgPool) {
    let app = spawn_app(pool);
    let t = app.signup("hd@example.com").await;
    let cross_site = Request::post("/api/auth/login")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let replies = [
        ("/", app.get("/", None).await),
        ("/campaigns (signed in)", app.get("/campaigns", Some(&t)).await),
        ("/api/auth/me", app.call("/api/auth/me", &[], Some(&t)).await),
        ("/api/account/export.json", app.get("/api/account/export.json", Some(&t)).await),
        ("/healthz", app.get("/healthz", None).await),
        ("404", app.get("/no-such-page", None).await),
        ("cross-site 403", app.send(cross_site).await),
    ];
    for (what, r) in &replies {
        assert!(r.status != StatusCode::INTERNAL_SERVER_ERROR, "{what}: {}", r.status);
        let h = |name: header::HeaderName| r.headers.get(name).and_then(|v| v.to_str().ok());
        assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"), "{what}");
        assert_eq!(h(header::X_FRAME_OPTIONS), Some("DENY"), "{what}");
        assert_eq!(h(header::CONTENT_SECURITY_POLICY), Some("frame-ancestors 'none'"), "{what}");
        assert_eq!(h(header::REFERRER_POLICY), Some("strict-origin-when-cross-origin"), "{what}");
    }
    assert_eq!(replies[0].1.status, StatusCode::OK);
    assert_eq!(replies[6].1.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn uploads_to_a_campaign_that_is_not_yours_are_refused_before_the_file_is_read(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let a = app.signup("owner@example.com").await;
    let b = app.signup("other@example.com").await;
    let campaign = app.campaign(&a, "Mine").await;
    // An empty file is an import error (409) once parsed; a stranger never gets that far.
    let r = app.upload(&campaign, Vec::new(), None, Some(&b)).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::NOT_FOUND, "Not found."));
    let missing = uuid::Uuid::new_v4().to_string();
    let r = app.upload(&missing, Vec::new(), None, Some(&a)).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::NOT_FOUND, "Not found."));
    // The owner's deleted campaign is gone too.
    app.call("/api/campaigns/delete", &[("id", &campaign)], Some(&a)).await;
    let r = app.upload(&campaign, b"Company,Website\nAcme,acme.example\n".to_vec(), None, Some(&a)).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::NOT_FOUND, "Not found."));
    // The owner's own empty file is still explained.
    let live = app.campaign(&a, "Live").await;
    let r = app.upload(&live, Vec::new(), None, Some(&a)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM companies").fetch_one(&pool).await.unwrap();
    assert_eq!(n, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_event_stream_of_a_deleted_campaign_ends(pool: PgPool) {
    let app = spawn_app(pool);
    let t = app.signup("sse@example.com").await;
    let c = app.campaign(&t, "Streamed").await;
    let req = Request::get(format!("/api/campaigns/{c}/events"))
        .header(header::COOKIE, format!("cellstack_session={t}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.into_body();
    // Open across at least one re-check (every 5 s) while the campaign exists.
    let open_until = tokio::time::Instant::now() + Duration::from_secs(6);
    while let Ok(frame) = tokio::time::timeout_at(open_until, body.frame()).await {
        assert!(frame.is_some(), "the stream ended while the campaign still exists");
    }
    let del = app.call("/api/campaigns/delete", &[("id", &c)], Some(&t)).await;
    assert_eq!(del.status, StatusCode::OK, "{}", del.body);
    let ended = tokio::time::timeout(Duration::from_secs(12), async {
        while let Some(frame) = body.frame().await {
            frame.unwrap();
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream of a deleted campaign is still open");
}

#[test]
fn the_demo_refuses_a_public_site_unless_told_otherwise() {
    let demo = |allow: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cellstack"));
        cmd.arg("demo")
            .env("SITE_URL", "https://leads.example.com")
            .env("CELLSTACK_ADDR", "127.0.0.1:3999")
            // Nothing listens there: the override is seen to get as far as connecting.
            .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")
            .env("RUST_LOG", "off")
            .env_remove("DEMO_ALLOW_PUBLIC");
        if let Some(v) = allow {
            cmd.env("DEMO_ALLOW_PUBLIC", v);
        }
        cmd.output().expect("run cellstack demo")
    };
    let out = demo(None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "demo: refusing to create the demo account (its password is public): SITE_URL \
         https://leads.example.com is not a loopback address; set DEMO_ALLOW_PUBLIC=true to create it \
         anyway\n"
    );
    assert!(out.stdout.is_empty());
    let out = demo(Some("true"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(err.starts_with("demo: cannot connect to the database"), "{err}");
}
