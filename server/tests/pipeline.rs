//! The pipeline engine: a campaign runs to completion through durable tasks; two worker
//! pools share the work with nothing done twice; leases; controls; the event stream;
//! and a truth audit (every stored fact cites a retrieved source).

mod common;

use std::time::Duration;

use common::{TestApp, shared, spawn_app};
use http::StatusCode;
use server::pipeline::{self, Hub, WorkerConfig, queue};
use sqlx::PgPool;

fn fast() -> WorkerConfig {
    WorkerConfig {
        workers: 3,
        lease: Duration::from_secs(60),
        poll: Duration::from_millis(20),
        step_delay: Duration::ZERO,
        ..WorkerConfig::default()
    }
}

async fn drain(pool: &PgPool) -> usize {
    let mut n = 0;
    while pipeline::run_one(pool, &fast()).await.unwrap() {
        n += 1;
    }
    n
}

async fn started(app: &TestApp, t: &str, companies: &str) -> String {
    let c = app.campaign(t, "Run").await;
    let r = app.call("/api/campaigns/add-companies", &[("id", &c), ("text", companies)], Some(t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = app.call("/api/campaigns/control", &[("id", &c), ("action", "start")], Some(t)).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    c
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_campaign_runs_to_completion_with_results_and_events(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.plans[0].companies_per_campaign = 1000;
    let app = common::spawn_with(pool.clone(), settings);
    let t = app.signup("run@example.com").await;
    let c = app.campaign(&t, "YC").await;
    let r = app.upload(&c, shared("data/yc-startups-2005-2014.csv"), None, Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let companies = r.json()["added"].as_u64().unwrap() as i64;
    app.call("/api/campaigns/control", &[("id", &c), ("action", "start")], Some(&t)).await;
    let ran = drain(&pool).await;
    assert_eq!(ran as i64, companies * 5, "five steps per company");

    let (status,): (String,) = sqlx::query_as("SELECT status FROM campaigns WHERE id = $1::uuid")
        .bind(&c)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "done");
    let done: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE status = 'done' AND score IS NOT NULL AND assessment IS NOT NULL").fetch_one(&pool).await.unwrap();
    assert_eq!(done, companies);
    let drafts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outreach_versions WHERE version = 1 AND kind = 'generated'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(drafts, companies);
    let lead_events: i64 = sqlx::query_scalar("SELECT count(*) FROM campaign_events WHERE kind = 'lead'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(lead_events, companies * 5);
    let statuses: Vec<String> = sqlx::query_scalar(
        "SELECT payload->>'status' FROM campaign_events WHERE kind = 'status' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(statuses, vec!["running", "done"]);

    // A developer-tools company outranks a consumer e-commerce one for this ICP.
    let score = |name: &'static str| {
        let pool = pool.clone();
        async move {
            let s: i16 = sqlx::query_scalar("SELECT score FROM companies WHERE name = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap();
            s
        }
    };
    assert!(score("Heroku").await > score("Goldbely").await);
    // Provenance names the analyzer and its rules version.
    let prov: serde_json::Value =
        sqlx::query_scalar("SELECT provenance FROM companies WHERE name = 'Heroku'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(prov["score"]["provider"], "builtin");
    assert_eq!(prov["score"]["prompt_version"], "builtin-rubric-1");
    common::truth_audit(&pool).await;

    // The lead page's data, and it is the owner's only.
    let lead: i64 =
        sqlx::query_scalar("SELECT id FROM companies WHERE name = 'Heroku'").fetch_one(&pool).await.unwrap();
    let d = app.call("/api/leads/get", &[("campaign", &c), ("lead", &lead.to_string())], Some(&t)).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let d = d.json();
    assert_eq!(d["row"]["name"], "Heroku");
    assert!(!d["assessment"]["criteria"].as_array().unwrap().is_empty());
    assert_eq!(d["outreach"][0]["version"], 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn two_worker_pools_share_the_work_and_nothing_runs_twice(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("pools@example.com").await;
    let list: Vec<String> = (0..60).map(|i| format!("Company {i}, company-{i}.example")).collect();
    let c = started(&app, &t, &list.join("\n")).await;
    // Two "instances": separate hubs, separate worker pools, one database.
    let a = pipeline::spawn_workers(pool.clone(), Hub::new(), fast());
    let b = pipeline::spawn_workers(pool.clone(), Hub::new(), fast());
    // A stream reader reads `id > since` as the SSE route does, while the work runs: it
    // must see every event — ids become visible in order even with workers side by side.
    let mut seen: Vec<i64> = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let status: String = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1::uuid")
            .bind(&c)
            .fetch_one(&pool)
            .await
            .unwrap();
        let since = seen.last().copied().unwrap_or(0);
        let fresh: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM campaign_events WHERE campaign_id = $1::uuid AND id > $2 ORDER BY id",
        )
        .bind(&c)
        .bind(since)
        .fetch_all(&pool)
        .await
        .unwrap();
        seen.extend(fresh);
        if status == "done" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "campaign did not finish");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    a.into_iter().chain(b).for_each(|h| h.abort());
    let all: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM campaign_events WHERE campaign_id = $1::uuid ORDER BY id")
            .bind(&c)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(seen, all, "the reader missed events that became visible behind its cursor");
    let tasks: Vec<(i32,)> =
        sqlx::query_as("SELECT attempts FROM pipeline_tasks").fetch_all(&pool).await.unwrap();
    assert_eq!(tasks.len(), 300);
    assert!(tasks.iter().all(|(a,)| *a == 1), "a task was claimed twice");
    let per_company: Vec<i64> = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_events WHERE kind = 'lead' GROUP BY payload->'row'->>'id'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(per_company.len(), 60);
    assert!(per_company.iter().all(|n| *n == 5), "{per_company:?}");
    let versions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outreach_versions").fetch_one(&pool).await.unwrap();
    assert_eq!(versions, 60);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_lost_lease_writes_nothing_and_an_expired_lease_is_claimed_again(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("lease@example.com").await;
    started(&app, &t, "acme.example").await;
    let task = queue::claim(&pool, Duration::from_secs(60)).await.unwrap().unwrap();
    assert_eq!((task.step.as_str(), task.attempts), ("research", 1));
    // Nothing else to claim while the lease is held.
    assert!(queue::claim(&pool, Duration::from_secs(60)).await.unwrap().is_none());
    // The lease expires (the worker died); another worker takes it, attempt 2.
    sqlx::query("UPDATE pipeline_tasks SET lease_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let again = queue::claim(&pool, Duration::from_secs(60)).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (task.id, 2));
    // The first worker comes back and tries to finish: its lease is gone, nothing is written.
    let inputs = pipeline::steps::load(&pool, &task).await.unwrap();
    let providers = server::providers::Providers::default();
    let (out, usage) = pipeline::steps::run(&providers, &pool, &task, &inputs).await;
    let out = out.unwrap();
    let res = pipeline::complete::apply(&pool, &task, &inputs, out, &usage).await.unwrap();
    assert_eq!(res, pipeline::complete::Outcome::LeaseLost);
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM campaign_events WHERE kind = 'lead'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 0);
    let next: i64 = sqlx::query_scalar("SELECT count(*) FROM pipeline_tasks WHERE step = 'score'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(next, 0);
    // The new holder finishes normally.
    let (out, usage) = pipeline::steps::run(&providers, &pool, &again, &inputs).await;
    let out = out.unwrap();
    assert_eq!(
        pipeline::complete::apply(&pool, &again, &inputs, out, &usage).await.unwrap(),
        pipeline::complete::Outcome::Done
    );
    drain(&pool).await;
    let status: String = sqlx::query_scalar("SELECT status FROM companies").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "done");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn poison_rows_stop_at_max_attempts_and_retry_requeues_them(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("poison@example.com").await;
    let c = started(&app, &t, "acme.example\nglobex.example").await;
    // Corrupt one company's stored data so its step fails every time.
    sqlx::query("UPDATE campaigns SET profile_snapshot = '{\"samples\": 5}'").execute(&pool).await.unwrap();
    sqlx::query("UPDATE pipeline_tasks SET max_attempts = 2").execute(&pool).await.unwrap();
    for _ in 0..20 {
        drain(&pool).await;
        sqlx::query("UPDATE pipeline_tasks SET run_after = now() WHERE status = 'queued'")
            .execute(&pool)
            .await
            .unwrap();
    }
    let failed: Vec<(String, String)> =
        sqlx::query_as("SELECT status, error FROM companies ORDER BY id").fetch_all(&pool).await.unwrap();
    assert!(
        failed
            .iter()
            .all(|(s, e)| s == "failed"
                && e.starts_with("research step failed: stored data could not be read")),
        "{failed:?}"
    );
    let attempts: Vec<i32> =
        sqlx::query_scalar("SELECT attempts FROM pipeline_tasks").fetch_all(&pool).await.unwrap();
    assert_eq!(attempts, vec![2, 2]);
    let status: String = sqlx::query_scalar("SELECT status FROM campaigns").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "done", "a campaign whose rows all ended is finished");
    // Fix the data, retry the failed rows: they complete.
    sqlx::query("UPDATE campaigns SET profile_snapshot = NULL").execute(&pool).await.unwrap();
    let r = app.call("/api/campaigns/control", &[("id", &c), ("action", "retry")], Some(&t)).await;
    assert_eq!(r.body, "2");
    drain(&pool).await;
    let done: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE status = 'done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(done, 2);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn pause_holds_the_work_resume_continues_cancel_stops(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("ctl@example.com").await;
    let c = started(&app, &t, "acme.example\nglobex.example\ninitech.example").await;
    assert_eq!(app.control(&c, "pause", &t).await.status, StatusCode::OK);
    assert_eq!(drain(&pool).await, 0, "a paused campaign's tasks are not claimed");
    assert_eq!(app.control(&c, "pause", &t).await.status, StatusCode::CONFLICT);
    assert_eq!(app.control(&c, "resume", &t).await.status, StatusCode::OK);
    assert!(pipeline::run_one(&pool, &fast()).await.unwrap());
    assert_eq!(app.control(&c, "cancel", &t).await.status, StatusCode::OK);
    assert_eq!(drain(&pool).await, 0);
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM companies ORDER BY id").fetch_all(&pool).await.unwrap();
    assert!(statuses.iter().all(|s| s == "cancelled" || s == "researching"), "{statuses:?}");
    assert_eq!(app.control(&c, "start", &t).await.status, StatusCode::CONFLICT);
    // Re-scoring a cancelled campaign scores what was researched, and it ends cancelled
    // again, not "done": its cancelled rows were never researched.
    assert_eq!(app.control(&c, "rescore", &t).await.status, StatusCode::OK);
    drain(&pool).await;
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, status_reason FROM campaigns").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "cancelled");
    assert!(reason.unwrap().starts_with("Cancelled by you"));
    let cancelled: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE status = 'cancelled'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(cancelled >= 2, "{cancelled}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn rescore_reuses_research_and_follows_the_new_icp(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("rescore@example.com").await;
    let c = started(&app, &t, "acme.example").await;
    drain(&pool).await;
    let before: String =
        sqlx::query_scalar("SELECT updated_at::text FROM pipeline_tasks WHERE step = 'research'")
            .fetch_one(&pool)
            .await
            .unwrap();
    // Editing the ICP after start is allowed, and says so (the page then offers a re-score).
    let input = serde_json::json!({"id": c, "input": {"name": "Run", "icp": "Companies in Antarctica only",
        "personas": [{"title": "CTO", "description": ""}], "funding_months": null, "hiring_roles": [], "tools": [],
        "profile_id": null}});
    let edited = app.call_json("/api/campaigns/update", input, Some(&t)).await;
    assert_eq!((edited.status, edited.body.as_str()), (StatusCode::OK, "true"));
    let r = app.call("/api/campaigns/control", &[("id", &c), ("action", "rescore")], Some(&t)).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "1"));
    let ran = drain(&pool).await;
    assert_eq!(ran, 4, "score, signals, contacts, outreach — research is not repeated");
    let after: String =
        sqlx::query_scalar("SELECT updated_at::text FROM pipeline_tasks WHERE step = 'research'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(before, after);
    let status: String = sqlx::query_scalar("SELECT status FROM campaigns").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "done");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_event_stream_replays_after_since_with_ids(pool: PgPool) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = spawn_app(pool.clone());
    let t = app.signup("sse@example.com").await;
    let c = started(&app, &t, "acme.example").await;
    drain(&pool).await;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM campaign_events ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(ids.len(), 7, "running, 5 lead updates, done");
    let req = http::Request::get(format!("/api/campaigns/{c}/events?since={}", ids[3]))
        .header(http::header::COOKIE, format!("cellstack_session={t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[http::header::CACHE_CONTROL], "no-cache, no-transform");
    assert_eq!(resp.headers()["x-accel-buffering"], "no");
    let mut body = resp.into_body();
    let mut text = String::new();
    while text.matches("id:").count() < 3 {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("events arrive")
            .unwrap()
            .unwrap();
        if let Some(data) = frame.data_ref() {
            text.push_str(&String::from_utf8_lossy(data));
        }
    }
    let got: Vec<i64> =
        text.lines().filter_map(|l| l.strip_prefix("id:")).map(|v| v.trim().parse().unwrap()).collect();
    assert_eq!(got, ids[4..].to_vec());
    assert!(text.contains(r#""kind":"status","status":"done""#), "{text}");
    // Another user gets nothing.
    let other = app.signup("other@example.com").await;
    let r = app.get(&format!("/api/campaigns/{c}/events?since=0"), Some(&other)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_demo_account_gets_a_finished_sp500_campaign_once(pool: PgPool) {
    let settings = app::server::Settings::for_tests();
    let c = server::demo::seed(&pool, settings.clone()).await.unwrap().expect("a new demo campaign");
    let (status, owner_email): (String, String) = sqlx::query_as(
        "SELECT c.status, u.email FROM campaigns c JOIN users u ON u.id = c.owner_id WHERE c.id = $1",
    )
    .bind(c)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), owner_email.as_str()), ("done", server::demo::EMAIL));
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE status = 'done' AND score IS NOT NULL),
                count(*) FILTER (WHERE EXISTS (SELECT 1 FROM outreach_versions o WHERE o.company_id = companies.id))
           FROM companies WHERE campaign_id = $1",
    )
    .bind(c)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(counts, (503, 503, 503), "every S&P 500 row researched, scored and drafted");
    // The ICP asks for industrials, consumer staples and materials: those lead the ranking.
    let top: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, (SELECT a->>'value' FROM jsonb_array_elements(attributes) a WHERE a->>'column' = 'GICS Sector')
           FROM companies WHERE campaign_id = $1 ORDER BY score DESC, id LIMIT 20",
    )
    .bind(c)
    .fetch_all(&pool)
    .await
    .unwrap();
    for (name, sector) in &top {
        let wanted = ["Industrials", "Consumer Staples", "Materials"];
        assert!(wanted.contains(&sector.as_str()), "{name} ({sector}) ranks in the top 20: {top:?}");
    }
    common::truth_audit(&pool).await;
    // Run again: the account is left as it is.
    assert_eq!(server::demo::seed(&pool, settings).await.unwrap(), None);
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM campaigns").fetch_one(&pool).await.unwrap(),
        1
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn workers_share_out_between_users_instead_of_first_come_first_served(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let (big, small) = (app.signup("big@example.com").await, app.signup("small@example.com").await);
    let list: Vec<String> = (0..8).map(|i| format!("Big {i}, big-{i}.example")).collect();
    let first = started(&app, &big, &list.join("\n")).await;
    let second = started(&app, &small, "Small 1, small-1.example\nSmall 2, small-2.example").await;
    let cfg = WorkerConfig { workers: 2, step_delay: Duration::from_millis(100), ..fast() };
    let workers = pipeline::spawn_workers(pool.clone(), Hub::new(), cfg);
    let done = |c: String| {
        let pool = pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM companies WHERE campaign_id = $1::uuid AND status = 'done'",
            )
            .bind(c)
            .fetch_one(&pool)
            .await
            .unwrap();
            n
        }
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while done(second.clone()).await == 0 {
        assert!(std::time::Instant::now() < deadline, "the second user's campaign never got a worker");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // First come, first served would have finished all 8 of the first list by now.
    let big_done = done(first.clone()).await;
    for w in workers {
        w.abort();
    }
    assert!(big_done <= 2, "the first campaign had {big_done} of 8 done before the second got one");
}
