//! Security hardening: the import route's ownership check, and the event stream of a
//! deleted campaign.

mod common;

use std::time::Duration;

use axum::body::Body;
use common::spawn_app;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;

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
