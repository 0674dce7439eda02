//! Crash test: a 300-company campaign worked by real server processes, configured for
//! the fake OpenAI-compatible and Exa servers, that are killed with SIGKILL at random
//! moments and restarted. At the end every company is done exactly once: no duplicate
//! results or events, nothing stuck in running.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::spawn_with;
use server::providers::fake::exa::FakeExa;
use server::providers::fake::openai::FakeOpenAi;
use server::providers::fake::responder;
use sqlx::PgPool;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Kills its server when dropped, so a failing test leaves no process behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(db_url: &str, fakes: &Fakes) -> Server {
    Server(
        Command::new(env!("CARGO_BIN_EXE_cellstack"))
            .env("DATABASE_URL", db_url)
            .env("OPENAI_BASE_URL", fakes.0.base_url())
            .env("OPENAI_API_KEY", "fake")
            .env("OPENAI_MODEL", "gpt-4o-mini")
            .env("EXA_BASE_URL", fakes.1.base_url())
            .env("EXA_API_KEY", "fake")
            .env("FETCH_WEBSITES", "false")
            .env("CELLSTACK_ADDR", format!("127.0.0.1:{}", free_port()))
            .env("PIPELINE_WORKERS", "4")
            .env("PIPELINE_LEASE_SECS", "2")
            .env("PIPELINE_POLL_MS", "100")
            .env("PIPELINE_STEP_DELAY_MS", "15")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server binary"),
    )
}

type Fakes = (FakeOpenAi, FakeExa);

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn killed_servers_lose_nothing_and_repeat_nothing(pool: PgPool) {
    let fakes: Fakes = (
        FakeOpenAi::start(0, Duration::from_millis(5), responder::from_sources()).await.unwrap(),
        FakeExa::start(0, Duration::from_millis(5)).await.unwrap(),
    );
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
        let server = start_server(&url, &fakes);
        tokio::time::sleep(Duration::from_millis(400 + seed % 1200)).await;
        drop(server); // SIGKILL
        kills += 1;
    }
    let done_before: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE status = 'done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(done_before < 300, "the kills should land mid-campaign (all {done_before} done already)");

    let mut server = start_server(&url, &fakes);
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        // A server that cannot start (bad configuration) is a failure now, not a timeout.
        if let Some(exit) = server.0.try_wait().unwrap() {
            panic!("the server exited by itself: {exit}");
        }
        let status: String =
            sqlx::query_scalar("SELECT status FROM campaigns").fetch_one(&pool).await.unwrap();
        if status == "done" {
            break;
        }
        assert!(Instant::now() < deadline, "campaign did not finish after {kills} kills");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(server);

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
    // The work went through the real clients: every company was searched and judged by
    // the (fake) model, and provenance says so.
    let by_llm: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM companies WHERE provenance->'score'->>'provider' = 'openai-compatible'
            AND provenance->'research'->>'provider' = 'exa'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(by_llm, 300);
    assert!(fakes.0.requests() >= 1200 && fakes.1.requests() >= 300);
    let done_events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_events WHERE kind = 'status' AND payload->>'status' = 'done'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(done_events, 1);
}
