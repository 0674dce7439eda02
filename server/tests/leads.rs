//! Lead outreach revisions (every version kept, restorable) and the lead export, which
//! re-imports into Cellstack's own importer with the same companies.

mod common;

use common::{shared, spawn_with};
use http::StatusCode;
use server::pipeline::{self, WorkerConfig};
use sqlx::PgPool;

async fn drain(pool: &PgPool) {
    let cfg = WorkerConfig::default();
    while pipeline::run_one(pool, &cfg).await.unwrap() {}
}

fn roomy() -> app::server::Settings {
    let mut s = app::server::Settings::for_tests();
    s.plans[0].companies_per_campaign = 1000;
    s
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn outreach_versions_are_kept_and_restorable(pool: PgPool) {
    let app = spawn_with(pool.clone(), roomy());
    let t = app.signup("ov@example.com").await;
    let c = app.campaign(&t, "Outreach").await;
    app.upload(&c, shared("data/yc-startups-2005-2014.csv"), None, Some(&t)).await;
    app.control(&c, "start", &t).await;
    drain(&pool).await;
    let lead: i64 =
        sqlx::query_scalar("SELECT id FROM companies WHERE name = 'Curebit'").fetch_one(&pool).await.unwrap();
    let lead_s = lead.to_string();
    let v1: String =
        sqlx::query_scalar("SELECT body FROM outreach_versions WHERE company_id = $1 AND version = 1")
            .bind(lead)
            .fetch_one(&pool)
            .await
            .unwrap();

    let r = app
        .call(
            "/api/outreach/revise",
            &[("campaign", &c), ("lead", &lead_s), ("instruction", "shorter")],
            Some(&t),
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "2"), "{}", r.body);
    let v2: String =
        sqlx::query_scalar("SELECT body FROM outreach_versions WHERE company_id = $1 AND version = 2")
            .bind(lead)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(v2.len() < v1.len(), "shorter:\n{v2}\n---\n{v1}");

    let unknown = app
        .call(
            "/api/outreach/revise",
            &[("campaign", &c), ("lead", &lead_s), ("instruction", "mention their IPO")],
            Some(&t),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);

    let e = app
        .call(
            "/api/outreach/edit",
            &[("campaign", &c), ("lead", &lead_s), ("subject", "Hello"), ("body", "Hand-written note.")],
            Some(&t),
        )
        .await;
    assert_eq!(e.body, "3");
    let r = app
        .call("/api/outreach/restore", &[("campaign", &c), ("lead", &lead_s), ("version", "1")], Some(&t))
        .await;
    assert_eq!(r.body, "4");
    let rows: Vec<(i32, String, Option<String>, String)> = sqlx::query_as("SELECT version, kind, instruction, author FROM outreach_versions WHERE company_id = $1 ORDER BY version").bind(lead).fetch_all(&pool).await.unwrap();
    let kinds: Vec<(i32, &str, Option<&str>)> =
        rows.iter().map(|(v, k, i, _)| (*v, k.as_str(), i.as_deref())).collect();
    assert_eq!(
        kinds,
        vec![
            (1, "generated", None),
            (2, "instruction", Some("shorter")),
            (3, "manual", None),
            (4, "restore", Some("restored version 1"))
        ]
    );
    assert_eq!(rows[1].3, "ov@example.com");
    let v4: String =
        sqlx::query_scalar("SELECT body FROM outreach_versions WHERE company_id = $1 AND version = 4")
            .bind(lead)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(v4, v1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_export_reimports_with_the_same_companies(pool: PgPool) {
    let app = spawn_with(pool.clone(), roomy());
    let t = app.signup("ex@example.com").await;
    let c = app.campaign(&t, "Export").await;
    app.upload(&c, shared("data/yc-startups-2005-2014.csv"), None, Some(&t)).await;
    app.control(&c, "start", &t).await;
    drain(&pool).await;
    let r = app.get(&format!("/api/campaigns/{c}/export.csv?layout=full"), Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[http::header::CONTENT_DISPOSITION].to_str().unwrap().contains("export-full.csv"));
    let parsed = app::import::parse(r.body.as_bytes(), &app::import::Limits::default()).unwrap();
    let outcome = app::import::build(&parsed, &parsed.mapping).unwrap();
    let mut exported: Vec<(String, Option<String>)> =
        outcome.companies.iter().map(|c| (c.name.clone(), c.domain().map(str::to_string))).collect();
    exported.sort();
    let mut stored: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT name, domain FROM companies").fetch_all(&pool).await.unwrap();
    stored.sort();
    assert_eq!(exported, stored);

    // Filters apply; the Excel option adds a BOM; the HubSpot layout has its headers.
    let hot = app
        .get(&format!("/api/campaigns/{c}/export.csv?layout=hubspot&min_score=60&excel=1"), Some(&t))
        .await;
    assert!(
        hot.body.starts_with("\u{feff}Company name,Company Domain Name,ICP Score,"),
        "{}",
        &hot.body[..80]
    );
    let mut rd = csv::Reader::from_reader(hot.body.trim_start_matches('\u{feff}').as_bytes());
    let scores: Vec<i64> = rd.records().map(|r| r.unwrap()[2].parse().unwrap()).collect();
    let expected: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE score >= 60")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(expected > 0);
    assert_eq!(scores.len() as i64, expected);
    assert!(scores.iter().all(|s| *s >= 60));
}
