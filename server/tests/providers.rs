//! The pipeline through the real provider clients (LLM, Exa, fetcher) against the fake
//! servers: a whole campaign, and each failure outcome the pipeline must handle.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{TestApp, spawn_with, truth_audit};
use http::StatusCode;
use server::pipeline::{self, WorkerConfig};
use server::providers::Providers;
use server::providers::fake::exa::FakeExa;
use server::providers::fake::openai::{FakeOpenAi, LlmFault};
use server::providers::fake::{self, responder};
use server::providers::fetch::{FetchConfig, Fetcher};
use sqlx::PgPool;

const CSV: &str = "Company,Website,Categories,Founders,City\n\
Acme Data,acme.example,\"Developer Tools, API\",Jane Roe,San Francisco\n\
Bistro Box,bistro.example,Consumer E-commerce,,Paris\n";

struct Rig {
    app: TestApp,
    llm: FakeOpenAi,
    exa: FakeExa,
    cfg: WorkerConfig,
    token: String,
}

async fn rig(pool: &PgPool, fetcher: Option<Fetcher>) -> Rig {
    let llm = FakeOpenAi::start(0, Duration::ZERO, responder::from_sources()).await.unwrap();
    let exa = FakeExa::start(0, Duration::ZERO).await.unwrap();
    let providers = Providers { fetcher, ..fake::providers_for(&llm, &exa, Duration::from_secs(5)) };
    providers.configure(pool).await.unwrap();
    let mut settings = app::server::Settings::for_tests();
    settings.reviser = providers.reviser();
    settings.per_company_micros = (providers.per_company_estimate() * 1e6) as i64;
    settings.research_label = providers.label();
    let app = spawn_with(pool.clone(), settings);
    let token = app.signup("rig@example.com").await;
    let cfg = WorkerConfig { providers: Arc::new(providers), ..WorkerConfig::default() };
    Rig { app, llm, exa, cfg, token }
}

impl Rig {
    /// A started campaign over `csv`.
    async fn started(&self, csv: &str) -> String {
        let c = self.app.campaign(&self.token, "Providers").await;
        let r = self.app.upload(&c, csv.as_bytes().to_vec(), None, Some(&self.token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(self.app.control(&c, "start", &self.token).await.status, StatusCode::OK);
        c
    }

    /// Runs every task that is due.
    async fn drain(&self) -> usize {
        let mut n = 0;
        while pipeline::run_one(&self.app.pool, &self.cfg).await.unwrap() {
            n += 1;
        }
        n
    }

    async fn scalar<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        sqlx::query_scalar(sql).fetch_one(&self.app.pool).await.unwrap()
    }

    /// The score task's attempts and last error.
    async fn score_task(&self) -> (i32, String) {
        sqlx::query_as("SELECT attempts, last_error FROM pipeline_tasks WHERE step = 'score'")
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_whole_campaign_runs_through_the_real_clients(pool: PgPool) {
    let r = rig(&pool, None).await;
    let c = r.started(CSV).await;
    assert_eq!(r.drain().await, 10);
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");
    assert_eq!(r.scalar::<i64>("SELECT count(*) FROM companies WHERE status = 'done'").await, 2);
    // One search per company, four model calls per company.
    assert_eq!((r.exa.requests(), r.llm.requests()), (2, 8));

    // Acme: the model's verdict cites the Categories cell; the search page is a source;
    // the founder named in the file is the contact.
    let acme: serde_json::Value = r
        .scalar(
            "SELECT jsonb_build_object('a', assessment, 's', sources, 'c', contacts, 'p', provenance,
                        'cost', cost_usd, 'tin', tokens_in) FROM companies WHERE name = 'Acme Data'",
        )
        .await;
    let criteria = acme["a"]["criteria"].as_array().unwrap();
    let dev = criteria
        .iter()
        .find(|k| k["label"].as_str().unwrap().to_lowercase().contains("developer"))
        .unwrap_or_else(|| panic!("a developer criterion in {criteria:?}"));
    assert_eq!(dev["verdict"], "match", "{dev}");
    assert!(dev["evidence"].as_array().unwrap().iter().any(|e| e["column"] == "Categories"), "{dev}");
    let hiring = criteria.iter().find(|k| k["id"] == "hiring").expect("a hiring criterion");
    assert_eq!(hiring["verdict"], "unknown", "nothing says they hire: {hiring}");
    assert!(
        acme["s"].as_array().unwrap().iter().any(|s| s["url"] == "https://acme.example/"),
        "{}",
        acme["s"]
    );
    assert_eq!(acme["c"][0]["name"], "Jane Roe");
    assert_eq!(acme["c"][0]["source"]["column"], "Founders");
    let score = &acme["p"]["score"];
    assert_eq!(score["provider"], "openai-compatible");
    assert_eq!(score["model"], "gpt-4o-mini");
    assert_eq!(score["prompt_version"], "score.v1");
    assert!(score["tokens_in"].as_u64().unwrap() > 100 && score["cost_usd"].as_f64().unwrap() > 0.0);
    assert_eq!(acme["p"]["research"]["provider"], "exa");
    assert_eq!(acme["p"]["research"]["cost_usd"], 0.005);
    assert!(acme["cost"].as_f64().unwrap() > 0.005 && acme["tin"].as_i64().unwrap() > 400);

    // What the model was sent: strict structured output, the rules, fenced sources.
    let body = &r.llm.bodies()[0];
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    let text = body["messages"].to_string();
    assert!(text.contains("untrusted data") && text.contains("<<<SOURCE S1 |"), "{text}");

    // The campaign page's data says what it cost and what it was expected to cost.
    let detail = r.app.call("/api/campaigns/get", &[("id", &c)], Some(&r.token)).await.json();
    let spend = &detail["spend"];
    let spent: f64 = r.scalar("SELECT sum(cost_usd) FROM companies").await;
    assert_eq!(spend["spent_micros"].as_i64().unwrap(), (spent * 1e6).round() as i64);
    assert!(spend["tokens_in"].as_i64().unwrap() > 800);
    // 2 companies x (4 x (2500 x 0.15 + 350 x 0.60) / 1e6 + 0.005) = 0.01468
    assert_eq!(spend["estimate_micros"], 14_680);
    assert_eq!(spend["providers"], "LLM gpt-4o-mini, Exa search, no website fetching");
    assert!(detail["companies"][0]["cost_micros"].as_i64().unwrap() > 5_000);
    truth_audit(&pool).await;
    let authors: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT author FROM outreach_versions").fetch_all(&pool).await.unwrap();
    assert_eq!(authors, ["gpt-4o-mini (LLM)"], "the history says the model wrote the drafts");

    // Re-scoring with the same settings is answered from the cache: nothing paid twice.
    let spent: f64 = r.scalar("SELECT sum(cost_usd) FROM companies").await;
    assert_eq!(r.app.control(&c, "rescore", &r.token).await.status, StatusCode::OK);
    r.drain().await;
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");
    assert_eq!((r.exa.requests(), r.llm.requests()), (2, 8), "a cached answer was paid for again");
    assert_eq!(r.scalar::<f64>("SELECT sum(cost_usd) FROM companies").await, spent);

    // A revision with an instruction goes to the model, and becomes version 2.
    let lead: i64 = r.scalar("SELECT id FROM companies WHERE name = 'Acme Data'").await;
    let v = r
        .app
        .call(
            "/api/outreach/revise",
            &[("campaign", &c), ("lead", &lead.to_string()), ("instruction", "mention our free trial")],
            Some(&r.token),
        )
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(v.json(), 2);
    assert_eq!(r.llm.requests(), 9);
    let body: String = r.scalar("SELECT body FROM outreach_versions WHERE version = 2").await;
    assert!(body.ends_with("(Revised: mention our free trial)"), "{body}");
    assert!(r.llm.bodies()[8]["messages"].to_string().contains("Step: revise"));
    let after_revision: f64 = r.scalar("SELECT sum(cost_usd) FROM companies").await;
    assert!(after_revision > spent, "the revision's model call is in the spend: {after_revision} vs {spent}");

    // News the research did not find is refused before any model call: the model could
    // only invent it.
    let v = r
        .app
        .call(
            "/api/outreach/revise",
            &[
                ("campaign", &c),
                ("lead", &lead.to_string()),
                ("instruction", "shorter and mention their Series D"),
            ],
            Some(&r.token),
        )
        .await;
    assert_eq!(v.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", v.body);
    assert!(v.body.contains("Series D"), "{}", v.body);
    assert_eq!(r.llm.requests(), 9, "no model call for a refused revision");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_rate_limit_reschedules_the_task_for_after_retry_after(pool: PgPool) {
    let r = rig(&pool, None).await;
    r.started(CSV).await;
    // A day-long hint is capped: the row comes back within MAX_RETRY_AFTER.
    r.llm.push_faults([
        LlmFault::RateLimited { retry_after_secs: 30 },
        LlmFault::RateLimited { retry_after_secs: 86_400 },
    ]);
    // Research for both, then both score calls are told to come back later.
    r.drain().await;
    let parked: Vec<(i32, f64, String)> = sqlx::query_as(
        "SELECT attempts, extract(epoch FROM run_after - now())::float8, last_error FROM pipeline_tasks
          WHERE status = 'queued' ORDER BY run_after",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(parked.len(), 2, "{parked:?}");
    let cap = server::pipeline::complete::MAX_RETRY_AFTER.as_secs_f64();
    for ((attempts, wait, err), want) in parked.iter().zip([30.0, cap]) {
        assert_eq!(*attempts, 0, "a rate limit does not use up an attempt");
        assert!((want - 5.0..=want + 1.0).contains(wait), "run_after in {wait} s, want {want}");
        assert!(err.contains("rate limiting us"), "{err}");
    }
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "running");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_rate_limit_without_a_hint_waits_with_backoff_and_is_bounded(pool: PgPool) {
    let r = rig(&pool, None).await;
    r.started("Company,Website\nAcme Data,acme.example\n").await;
    r.llm.push_faults([LlmFault::RateLimitedNoHint]);
    r.drain().await;
    let (attempts, deferrals, wait): (i32, i32, f64) = sqlx::query_as(
        "SELECT attempts, deferrals, extract(epoch FROM run_after - now())::float8 FROM pipeline_tasks
          WHERE step = 'score'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // The first wait is the first backoff step (2 s, jittered ±25 %), and not an attempt.
    assert_eq!((attempts, deferrals), (0, 1));
    assert!((1.0..=2.5).contains(&wait), "waits {wait} s");
    // A provider that never stops: past MAX_DEFERRALS waits, each 429 counts as an attempt.
    sqlx::query("UPDATE pipeline_tasks SET deferrals = $1, run_after = now() WHERE step = 'score'")
        .bind(server::pipeline::queue::MAX_DEFERRALS)
        .execute(&pool)
        .await
        .unwrap();
    r.llm.push_faults([LlmFault::RateLimitedNoHint]);
    r.drain().await;
    let (attempts, err) = r.score_task().await;
    assert_eq!(attempts, 1);
    assert!(err.starts_with("still rate limited after 30 waits: LLM is rate limiting us"), "{err}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_request_the_provider_rejects_fails_that_row_only(pool: PgPool) {
    let r = rig(&pool, None).await;
    r.started("Company,Website\nAcme Data,acme.example\nGlobex,globex.example\n").await;
    // The first score call gets a 400 about its content: that row fails at once, the
    // campaign neither pauses nor retries it, and the other row finishes.
    r.llm.push_faults([LlmFault::BadRequest]);
    r.drain().await;
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT name, status, error FROM companies ORDER BY name")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows[0].1, "failed", "{rows:?}");
    assert_eq!(
        rows[0].2.as_deref(),
        Some(
            "score step failed: LLM refused this request (HTTP 400, invalid_request_error (param messages))"
        )
    );
    assert_eq!(rows[1].1, "done", "{rows:?}");
    assert_eq!(r.scalar::<i32>("SELECT attempts FROM pipeline_tasks WHERE status = 'failed'").await, 1);
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn exhausted_quota_pauses_the_campaign_and_tells_the_user(pool: PgPool) {
    let r = rig(&pool, None).await;
    let c = r.started(CSV).await;
    r.llm.push_faults([LlmFault::InsufficientQuota]);
    r.drain().await;
    let (status, reason): (String, String) =
        sqlx::query_as("SELECT status, status_reason FROM campaigns").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "paused");
    assert!(reason.contains("quota"), "{reason}");
    assert_eq!(r.llm.requests(), 1, "quota errors are not retried");
    assert_eq!(
        r.scalar::<i32>("SELECT attempts FROM pipeline_tasks WHERE status = 'queued' LIMIT 1").await,
        0
    );
    // After the user fixes billing and resumes, the work finishes.
    assert_eq!(r.app.control(&c, "resume", &r.token).await.status, StatusCode::OK);
    r.drain().await;
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_refusal_marks_the_row_refused_with_the_models_words(pool: PgPool) {
    let r = rig(&pool, None).await;
    r.started("Company,Website\nAcme Data,acme.example\n").await;
    r.llm.push_faults([LlmFault::Refusal("I can't help with that.".into())]);
    r.drain().await;
    let (status, error): (String, String) =
        sqlx::query_as("SELECT status, error FROM companies").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "refused");
    assert!(error.contains("I can't help with that."), "{error}");
    assert_eq!(r.scalar::<i64>("SELECT count(*) FROM pipeline_tasks").await, 2, "no steps after a refusal");
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");

    // "Retry failed" asks the model again (the refusal was not cached) and the row finishes.
    let asked = r.llm.requests();
    let c: String = r.scalar("SELECT id::text FROM campaigns").await;
    assert_eq!(r.app.control(&c, "retry", &r.token).await.status, StatusCode::OK);
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT payload->>'kind' FROM campaign_events ORDER BY id DESC LIMIT 2")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(kinds, ["status", "rows"], "the page is told the row is queued again");
    r.drain().await;
    assert!(r.llm.requests() > asked, "the score step asked the model again");
    assert_eq!(r.scalar::<String>("SELECT status FROM companies").await, "done");
    assert_eq!(r.scalar::<Option<String>>("SELECT error FROM companies").await, None);
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_truncated_answer_is_retried_and_never_stored(pool: PgPool) {
    let r = rig(&pool, None).await;
    r.started("Company,Website\nAcme Data,acme.example\n").await;
    r.llm.push_faults([LlmFault::Truncated, LlmFault::Truncated]);
    r.drain().await;
    let (attempts, err) = r.score_task().await;
    assert_eq!(attempts, 1);
    assert!(err.contains("cut off"), "{err}");
    assert!(r.scalar::<Option<serde_json::Value>>("SELECT assessment FROM companies").await.is_none());
    // Nothing stored, but both cut-off answers were paid for: the row's spend says so.
    let (tokens_out, cost): (i64, f64) =
        sqlx::query_as("SELECT tokens_out, cost_usd FROM companies").fetch_one(&pool).await.unwrap();
    assert!(tokens_out > 0 && cost > 0.005, "tokens_out {tokens_out}, cost {cost}");
    // The doubled token cap was asked for on the one-shot retry.
    let caps: Vec<u64> = r.llm.bodies().iter().filter_map(|b| b["max_completion_tokens"].as_u64()).collect();
    assert_eq!(caps, [800, 1600]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_input_too_long_even_shortened_fails_the_row_at_once(pool: PgPool) {
    let r = rig(&pool, None).await;
    r.started("Company,Website\nAcme Data,acme.example\nGlobex,globex.example\n").await;
    // The first score call: too long, and too long again shortened.
    r.llm.push_faults([LlmFault::ContextLengthExceeded, LlmFault::ContextLengthExceeded]);
    r.drain().await;
    let failed: Vec<(i32, String)> =
        sqlx::query_as("SELECT attempts, last_error FROM pipeline_tasks WHERE status = 'failed'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, 1, "no further attempts: none could succeed");
    assert!(failed[0].1.contains("input too long"), "{failed:?}");
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, error FROM companies ORDER BY status").fetch_all(&pool).await.unwrap();
    assert_eq!(rows[0].0, "done", "the other row went on: {rows:?}");
    assert_eq!(rows[1].0, "failed");
    assert!(rows[1].1.as_deref().unwrap_or("").contains("score step failed"), "{rows:?}");
    assert_eq!(r.scalar::<String>("SELECT status FROM campaigns").await, "done");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_budget_cap_pauses_the_campaign(pool: PgPool) {
    let r = rig(&pool, None).await;
    let c = r.app.campaign(&r.token, "Capped").await;
    let detail = r.app.call("/api/campaigns/get", &[("id", &c)], Some(&r.token)).await;
    let mut input = detail.json()["input"].clone();
    input["budget_cents"] = serde_json::json!(1);
    let u = r
        .app
        .call_json("/api/campaigns/update", serde_json::json!({"id": c, "input": input}), Some(&r.token))
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.body);
    let up = r.app.upload(&c, CSV.as_bytes().to_vec(), None, Some(&r.token)).await;
    assert_eq!(up.status, StatusCode::OK);
    let detail = r.app.call("/api/campaigns/get", &[("id", &c)], Some(&r.token)).await.json();
    assert_eq!(detail["input"]["budget_cents"], 1);
    r.app.control(&c, "start", &r.token).await;
    r.drain().await;
    let (status, reason): (String, String) =
        sqlx::query_as("SELECT status, status_reason FROM campaigns").fetch_one(&pool).await.unwrap();
    assert_eq!(status, "paused");
    assert!(reason.starts_with("Budget of $0.01 reached"), "{reason}");
}

/// A local site serving the c18 page (hidden instructions) for coho.example.
async fn coho_site() -> std::net::SocketAddr {
    let html = String::from_utf8(common::shared("cases/c18_prompt_injection_homepage.html")).unwrap();
    let page = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let html = html.clone();
            async move { ([(http::header::CONTENT_TYPE, "text/html; charset=utf-8")], html) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, page).await.unwrap() });
    addr
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn hidden_page_text_never_reaches_the_model(pool: PgPool) {
    let site = coho_site().await;
    let fetcher = Fetcher::new(FetchConfig::default())
        .with_overrides(vec![("coho.example".into(), site)], vec![site])
        .with_plain_http();
    let r = rig(&pool, Some(fetcher)).await;
    r.started("Company,Website\nCoho Winery,coho.example\n").await;
    r.drain().await;
    let sent = serde_json::to_string(&r.llm.bodies()).unwrap();
    assert!(sent.contains("We are a family winery with 40 employees"), "the visible text was not used");
    for hidden in ["ignore all previous", "Series C", "169.254", "APPROVED", "verified"] {
        assert!(!sent.contains(hidden), "hidden text {hidden:?} reached the model");
    }
    let signals: serde_json::Value = r.scalar("SELECT signals FROM companies").await;
    assert!(!signals.to_string().contains("Series C"));
    truth_audit(&pool).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unsafe_and_unreachable_websites_are_noted_not_fatal(pool: PgPool) {
    let fetcher = Fetcher::new(FetchConfig::default());
    let r = rig(&pool, Some(fetcher)).await;
    r.started("Company,Website\nProbe,http://169.254.169.254/latest/meta-data/\nGone,no-such-host.invalid\n")
        .await;
    r.drain().await;
    let notes: Vec<(String, String, String)> =
        sqlx::query_as("SELECT name, status, provenance->>'research_note' FROM companies ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(notes[0].1, "done");
    assert_eq!(notes[1].1, "done");
    assert!(notes[1].2.contains("no-such-host.invalid"), "{:?}", notes[1]);
    truth_audit(&pool).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn provider_limits_are_shared_through_postgres(pool: PgPool) {
    use server::providers::limits::{self, Limit};
    // Two slots, whoever asks (any instance: the slots are rows).
    let two = Limit { concurrency: 2, rps: 0.0 };
    limits::configure(&pool, "llm", &two).await.unwrap();
    let a = limits::acquire(&pool, "llm", &two).await.unwrap();
    let b = limits::acquire(&pool, "llm", &two).await.unwrap();
    let third = tokio::time::timeout(Duration::from_millis(400), limits::acquire(&pool, "llm", &two)).await;
    assert!(third.is_err(), "a third call ran while two held both slots");
    a.release(&pool).await;
    let c = tokio::time::timeout(Duration::from_secs(5), limits::acquire(&pool, "llm", &two)).await;
    let c = c.expect("the released slot is taken").unwrap();
    let held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM provider_slots WHERE provider = 'llm' AND holder IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(held, 2);
    b.release(&pool).await;
    c.release(&pool).await;
    // A holder that died: its slot comes back when its lease runs out.
    sqlx::query(
        "UPDATE provider_slots SET holder = gen_random_uuid(), lease_until = now() - interval '1 second'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let d = tokio::time::timeout(Duration::from_secs(5), limits::acquire(&pool, "llm", &two)).await;
    d.expect("an expired slot is taken over").unwrap().release(&pool).await;

    // An instance configured as unlimited leaves the shared slots alone.
    limits::configure(&pool, "llm", &Limit { concurrency: 0, rps: 0.0 }).await.unwrap();
    let slots: i64 = sqlx::query_scalar("SELECT count(*) FROM provider_slots WHERE provider = 'llm'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(slots, 2);

    // Pacing is shared too: two "instances" (separate pools) making three calls each at 20
    // per second take 5 gaps of 50 ms between them, not 2 each side by side.
    let paced = Limit { concurrency: 0, rps: 20.0 };
    let other = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let calls = |p: PgPool| async move {
        for _ in 0..3 {
            limits::acquire(&p, "search", &paced).await.unwrap().release(&p).await;
        }
    };
    let start = std::time::Instant::now();
    tokio::join!(calls(pool.clone()), calls(other));
    assert!(start.elapsed() >= Duration::from_millis(240), "calls were not spaced: {:?}", start.elapsed());
}
