//! `cellstack-bench pipeline`: 1,000 companies through the real provider clients against
//! the fake LLM (300 ms) and search (100 ms) servers at concurrency 32, compared with the
//! ideal `ceil(n / 32) x (per-company sum of latencies)`.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use app::server::{Ctx, runs};
use server::pipeline::{self, Hub, WorkerConfig};
use server::providers::Providers;
use server::providers::fake::exa::FakeExa;
use server::providers::fake::openai::FakeOpenAi;
use server::providers::fake::{self, responder};
use server::providers::limits::{Limit, Limits};
use tracing::Level;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

const COMPANIES: i64 = 1_000;
const CONCURRENCY: usize = 32;
const LLM_MS: u64 = 300;
const SEARCH_MS: u64 = 100;
/// LLM steps per company (score, signals, contacts, outreach) and searches (research).
const LLM_CALLS: u64 = 4;
const SEARCHES: u64 = 1;

/// Transactions committed so far in this database: every statement outside an explicit
/// transaction counts as one, and each completing transaction (several statements) as one.
async fn transactions(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT (xact_commit + xact_rollback)::int8 FROM pg_stat_database WHERE datname = current_database()",
    )
    .fetch_one(pool)
    .await
    .unwrap_or(0)
}

/// Statements sent by this process: sqlx reports each one as a `sqlx::query` tracing
/// event, counted here. (`pg_stat_statements` would need a preload setting the benchmark
/// cannot assume.)
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Turns the statement counter on (sqlx only reports statements someone listens to).
pub fn count_statements() {
    let only_queries = tracing_subscriber::filter::Targets::new().with_target("sqlx::query", Level::DEBUG);
    tracing_subscriber::registry().with(CountStatements.with_filter(only_queries)).init();
}

pub async fn run(pool: sqlx::PgPool) -> ExitCode {
    let llm = FakeOpenAi::start(0, Duration::from_millis(LLM_MS), responder::from_sources()).await.unwrap();
    let exa = FakeExa::start(0, Duration::from_millis(SEARCH_MS)).await.unwrap();
    let unlimited_pace = |concurrency: usize| Limit { concurrency: concurrency as u32, rps: 0.0 };
    let providers = Providers {
        limits: Limits {
            llm: unlimited_pace(CONCURRENCY),
            search: unlimited_pace(CONCURRENCY),
            fetch: unlimited_pace(CONCURRENCY),
        },
        ..fake::providers_for(&llm, &exa, Duration::from_secs(30))
    };
    providers.configure(&pool).await.unwrap();
    let ctx = Ctx { pool: pool.clone(), settings: Arc::new(super::settings()) };
    let (owner, campaign) = super::owner_and_campaign(&pool).await;
    sqlx::query(
        "INSERT INTO companies (campaign_id, owner_id, position, source_row, name, domain, website_status, attributes)
         SELECT $1, $2, g, g + 1, 'Company ' || g, 'company-' || g || '.example', 'domain',
                jsonb_build_array(jsonb_build_object('column', 'Categories', 'value',
                    CASE WHEN g % 2 = 0 THEN 'Developer Tools, API' ELSE 'Consumer E-commerce' END))
           FROM generate_series(0, $3 - 1) g",
    )
    .bind(campaign)
    .bind(owner)
    .bind(COMPANIES)
    .execute(&pool)
    .await
    .unwrap();
    let before = transactions(&pool).await;
    let statements_before = STATEMENTS.load(Ordering::Relaxed);
    let started = Instant::now();
    runs::start(&ctx, owner, campaign).await.unwrap();
    let config = WorkerConfig {
        workers: CONCURRENCY,
        poll: Duration::from_millis(50),
        providers: Arc::new(providers),
        ..WorkerConfig::default()
    };
    let workers = pipeline::spawn_workers(pool.clone(), Hub::new(), config);
    loop {
        let status: String = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1")
            .bind(campaign)
            .fetch_one(&pool)
            .await
            .unwrap();
        if status != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let wall = started.elapsed().as_secs_f64();
    for w in workers {
        w.abort();
    }
    // pg_stat_database is updated when a backend reports; give it a moment.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let after = transactions(&pool).await;
    let statements = STATEMENTS.load(Ordering::Relaxed) - statements_before;
    let done: i64 =
        sqlx::query_scalar("SELECT count(*) FROM companies WHERE campaign_id = $1 AND status = 'done'")
            .bind(campaign)
            .fetch_one(&pool)
            .await
            .unwrap();
    let per_company = (LLM_CALLS * LLM_MS + SEARCHES * SEARCH_MS) as f64 / 1000.0;
    let ideal = (COMPANIES as f64 / CONCURRENCY as f64).ceil() * per_company;
    let ratio = wall / ideal;
    println!("companies done:            {done} of {COMPANIES}");
    println!("fake calls:                {} LLM, {} search", llm.requests(), exa.requests());
    println!("wall time:                 {wall:.2} s");
    println!(
        "ideal:                     {ideal:.2} s (ceil({COMPANIES} / {CONCURRENCY}) x {per_company:.1} s)"
    );
    println!("postgres statements per company:   {:.1}", statements as f64 / COMPANIES as f64);
    println!("postgres transactions per company: {:.1}", (after - before) as f64 / COMPANIES as f64);
    println!("pipeline: ratio={ratio:.3} (target <= 1.05)");
    if done == COMPANIES { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
