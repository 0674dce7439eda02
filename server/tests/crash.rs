//! Crash test: a 300-company campaign worked by real server processes that are killed
//! with SIGKILL at random moments and restarted. At the end every company is done
//! exactly once: no duplicate results or events, nothing stuck in running.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::spawn_with;
use sqlx::PgPool;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_server(db_url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cellstack"))
        .env("DATABASE_URL", db_url)
        .env("CELLSTACK_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("PIPELINE_WORKERS", "4")
        .env("PIPELINE_LEASE_SECS", "2")
        .env("PIPELINE_POLL_MS", "100")
        .env("PIPELINE_STEP_DELAY_MS", "15")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn killed_servers_lose_nothing_and_repeat_nothing(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.plans[0].companies_per_campaign = 1000;
    let app = spawn_with(pool.clone(), settings);
    let t = app.signup("crash@example.com").await;
    let c = app.campaign(&t, "Crash").await;
    let list: Vec<String> = (0..300).map(|i| format!("Company {i}, crash-{i}.example")).collect();
    let r =
        app.call("/api/campaigns/add-companies", &[("id", &c), ("text", &list.join("\n"))], Some(&t)).await;
    assert_eq!(r.json()["added"], 300, "{}", r.body);
    assert_eq!(app.control(&c, "start", &t).await.status, http::StatusCode::OK);

    // The spawned servers connect to this test's own database.
    let base = std::env::var("DATABASE_URL").unwrap();
    let base = base.rsplit_once('/').unwrap().0;
    let db = pool.connect_options().get_database().unwrap().to_string();
    let url = format!("{base}/{db}");

    let mut seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut kills = 0;
    for _ in 0..5 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut server = start_server(&url);
        tokio::time::sleep(Duration::from_millis(400 + seed % 1200)).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        kills += 1;
    }
    let done_before: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE status = 'done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(done_before < 300, "the kills should land mid-campaign (all {done_before} done already)");

    let mut server = start_server(&url);
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let status: String =
            sqlx::query_scalar("SELECT status FROM campaigns").fetch_one(&pool).await.unwrap();
        if status == "done" {
            break;
        }
        assert!(Instant::now() < deadline, "campaign did not finish after {kills} kills");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let done: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE status = 'done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(done, 300);
    let stuck: i64 = sqlx::query_scalar("SELECT count(*) FROM pipeline_tasks WHERE status <> 'done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stuck, 0, "tasks left queued, running or failed");
    let tasks: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pipeline_tasks").fetch_one(&pool).await.unwrap();
    assert_eq!(tasks, 1500);
    let per_company: Vec<i64> = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_events WHERE kind = 'lead' GROUP BY payload->'row'->>'id'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(per_company.len(), 300);
    assert!(per_company.iter().all(|n| *n == 5), "a step's result was written twice or lost");
    let versions: Vec<i64> = sqlx::query_scalar("SELECT count(*) FROM outreach_versions GROUP BY company_id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(versions.len(), 300);
    assert!(versions.iter().all(|n| *n == 1), "duplicate drafts");
    let done_events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_events WHERE kind = 'status' AND payload->>'status' = 'done'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(done_events, 1);
}
