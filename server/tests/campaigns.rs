//! Profiles, campaigns, plan limits (including concurrent creates), soft delete with
//! purge on a controlled clock, and companies from files and by hand.

mod common;

use common::{shared, spawn_app, spawn_with};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn profiles_validate_save_edit_and_delete(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("pa@example.com").await;
    let bad = app.call_json("/api/profiles/save", json!({"id": null, "input": {"name": "", "website": "", "product": "x", "audience": "", "samples": []}}), Some(&t)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["name", "product", "samples"]);
    let id = app.call_json("/api/profiles/save", json!({"id": null, "input": {"name": "Acme", "website": "acme.example", "product": "Data quality for warehouses", "audience": "", "samples": ["Hi,\nOne.", "Hey,\nTwo."]}}), Some(&t)).await;
    let id = id.json().as_str().unwrap().to_string();
    let edit = app.call_json("/api/profiles/save", json!({"id": id, "input": {"name": "Acme Inc", "website": "acme.example", "product": "Data quality for warehouses", "audience": "", "samples": ["Hi,\nOne."]}}), Some(&t)).await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    let list = app.call("/api/profiles/list", &[], Some(&t)).await.json();
    assert_eq!(list[0]["input"]["name"], "Acme Inc");
    assert_eq!(list[0]["input"]["samples"], json!(["Hi,\nOne."]));
    assert_eq!(app.call("/api/profiles/delete", &[("id", &id)], Some(&t)).await.status, StatusCode::OK);
    assert_eq!(app.call("/api/profiles/list", &[], Some(&t)).await.json(), json!([]));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn campaign_limit_names_the_limit_and_the_usage(pool: PgPool) {
    let app = spawn_app(pool);
    let t = app.signup("lim@example.com").await;
    for i in 0..3 {
        app.campaign(&t, &format!("C{i}")).await;
    }
    let over = app.call_json("/api/campaigns/create", json!({"input": {"name": "C4", "icp": "B2B software companies", "personas": [{"title": "CTO", "description": ""}], "funding_months": null, "hiring_roles": [], "tools": [], "profile_id": null}}), Some(&t)).await;
    assert_eq!(over.status, StatusCode::CONFLICT);
    let msg = over.json()["Refused"].as_str().unwrap().to_string();
    assert!(
        msg.starts_with("Your free plan allows 3 campaigns a month, and you have created 3 in "),
        "{msg}"
    );
    // Deleting does not give the month's allowance back.
    let list = app.call("/api/campaigns/list", &[], Some(&t)).await.json();
    let first = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["name"], "C2", "newest first");
    app.call("/api/campaigns/delete", &[("id", &first)], Some(&t)).await;
    let again = app.call_json("/api/campaigns/create", json!({"input": {"name": "C5", "icp": "B2B software companies", "personas": [{"title": "CTO", "description": ""}], "funding_months": null, "hiring_roles": [], "tools": [], "profile_id": null}}), Some(&t)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let overview = app.call("/api/account/overview", &[], Some(&t)).await.json();
    assert_eq!(overview["usage"]["campaigns_this_month"], 3);
    assert_eq!(overview["campaigns"], 2);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn concurrent_creates_never_pass_the_limit_together(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("race@example.com").await;
    let body = |i: usize| json!({"input": {"name": format!("R{i}"), "icp": "B2B software companies", "personas": [{"title": "CTO", "description": ""}], "funding_months": null, "hiring_roles": [], "tools": [], "profile_id": null}});
    let calls = (0..8).map(|i| app.call_json("/api/campaigns/create", body(i), Some(&t)));
    let replies = futures::future::join_all(calls).await;
    let ok = replies.iter().filter(|r| r.status == StatusCode::OK).count();
    let refused = replies.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
    assert_eq!((ok, refused), (3, 5));
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM campaigns").fetch_one(&pool).await.unwrap();
    assert_eq!(n, 3);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn soft_delete_hides_at_once_undo_restores_and_purge_uses_the_clock(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("sd@example.com").await;
    let a = app.campaign(&t, "Old").await;
    let b = app.campaign(&t, "Recent").await;
    app.call(
        "/api/campaigns/add-companies",
        &[("id", &a), ("text", "acme.example\nglobex.example")],
        Some(&t),
    )
    .await;
    app.call("/api/campaigns/delete", &[("id", &a)], Some(&t)).await;
    assert_eq!(app.call("/api/campaigns/get", &[("id", &a)], Some(&t)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call("/api/campaigns/restore", &[("id", &a)], Some(&t)).await.status, StatusCode::OK);
    assert_eq!(app.call("/api/campaigns/get", &[("id", &a)], Some(&t)).await.status, StatusCode::OK);
    // A running campaign that is deleted stops spending: paused, and an open page is told.
    assert_eq!(app.control(&a, "start", &t).await.status, StatusCode::OK);
    app.call("/api/campaigns/delete", &[("id", &a)], Some(&t)).await;
    let (status, told): (String, Option<String>) = sqlx::query_as(
        "SELECT c.status, (SELECT e.payload->>'status' FROM campaign_events e
                            WHERE e.campaign_id = c.id ORDER BY e.id DESC LIMIT 1)
           FROM campaigns c WHERE c.name = 'Old'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), told.as_deref()), ("paused", Some("paused")));
    assert_eq!(app.call("/api/campaigns/restore", &[("id", &a)], Some(&t)).await.status, StatusCode::OK);
    app.call("/api/campaigns/delete", &[("id", &a)], Some(&t)).await;
    app.call("/api/campaigns/delete", &[("id", &b)], Some(&t)).await;
    sqlx::query("UPDATE campaigns SET deleted_at = now() - interval '31 days' WHERE name = 'Old'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE campaigns SET deleted_at = now() - interval '29 days' WHERE name = 'Recent'")
        .execute(&pool)
        .await
        .unwrap();
    let ctx = app::server::Ctx {
        pool: pool.clone(),
        settings: std::sync::Arc::new(app::server::Settings::for_tests()),
    };
    let now = time::OffsetDateTime::now_utc();
    let purged = app::server::campaigns::purge(&ctx, now, 30, 1).await.unwrap();
    assert_eq!(purged, 1);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM campaigns").fetch_all(&pool).await.unwrap();
    assert_eq!(names, vec!["Recent".to_string()]);
    let companies: i64 = sqlx::query_scalar("SELECT count(*) FROM companies").fetch_one(&pool).await.unwrap();
    assert_eq!(companies, 0, "companies of the purged campaign go with it");
    // Two days later by our clock, the other one goes too; batches of one still finish.
    let purged = app::server::campaigns::purge(&ctx, now + time::Duration::days(2), 30, 1).await.unwrap();
    assert_eq!(purged, 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn companies_by_hand_are_normalized_and_merged(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("hand@example.com").await;
    let c = app.campaign(&t, "Hand").await;
    let text = "Acme Widgets, https://www.Acme-Widgets.example/about\nGlobex, globex.example\nacme-widgets.example\nInitech\nGlobex Corp, http://globex.example/";
    let r = app.call("/api/campaigns/add-companies", &[("id", &c), ("text", text)], Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    assert_eq!(report["added"], 3);
    let notes: Vec<String> =
        report["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    assert_eq!(notes.iter().filter(|n| n.starts_with("Merged duplicates of")).count(), 2, "{notes:?}");
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT name, domain FROM companies ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        vec![
            ("Acme Widgets".to_string(), Some("acme-widgets.example".to_string())),
            ("Globex".to_string(), Some("globex.example".to_string())),
            ("Initech".to_string(), None),
        ]
    );
    // Adding the same domain again is counted, not duplicated.
    let again = app
        .call("/api/campaigns/add-companies", &[("id", &c), ("text", "globex.example")], Some(&t))
        .await
        .json();
    assert_eq!((again["added"].as_u64(), again["already_present"].as_u64()), (Some(0), Some(1)));
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM companies WHERE name = 'Initech'").fetch_one(&pool).await.unwrap();
    let removed = app
        .call("/api/campaigns/remove-company", &[("id", &c), ("company", &id.to_string())], Some(&t))
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM companies").fetch_one(&pool).await.unwrap();
    assert_eq!(n, 2);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn csv_upload_is_parsed_again_on_the_server_with_the_chosen_mapping(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let t = app.signup("csv@example.com").await;
    let c = app.campaign(&t, "Files").await;
    // c07: blank and delimiter-only rows are skipped and counted.
    let r = app.upload(&c, shared("cases/c07_blank_rows.csv"), None, Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["added"], 3);
    assert!(r.body.contains("Skipped 9 blank rows."), "{}", r.body);
    // c06: the user maps the second Website column; the non-empty value is never lost.
    let c2 = app.campaign(&t, "Dupes").await;
    let r = app
        .upload(
            &c2,
            shared("cases/c06_duplicate_headers.csv"),
            Some("company_name,website,industry,-,-"),
            Some(&t),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows: Vec<(String, Option<String>)> = sqlx::query_as("SELECT co.name, co.domain FROM companies co JOIN campaigns c ON c.id = co.campaign_id WHERE c.name = 'Dupes' ORDER BY position").fetch_all(&pool).await.unwrap();
    assert_eq!(
        rows,
        vec![
            ("Adventure Works".to_string(), Some("adventure-works.example".to_string())),
            ("Blue Yonder Airlines".to_string(), Some("blueyonder-air.example".to_string())),
        ]
    );
    // A mapping that does not fit the file is refused; nothing is half-imported.
    let c3 = app.campaign(&t, "Bad").await;
    let bad =
        app.upload(&c3, shared("cases/c06_duplicate_headers.csv"), Some("company_name"), Some(&t)).await;
    assert_eq!(bad.status, StatusCode::CONFLICT);
    assert_eq!(bad.json()["error"], "The column mapping does not match the file's columns.");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_yc_file_imports_with_the_right_mapping_and_the_plan_limit_applies(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.plans[0].companies_per_campaign = 1000;
    let app = spawn_with(pool.clone(), settings);
    let t = app.signup("yc@example.com").await;
    let c = app.campaign(&t, "YC").await;
    let r = app.upload(&c, shared("data/yc-startups-2005-2014.csv"), None, Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let added = r.json()["added"].as_u64().unwrap();
    assert!((600..=688).contains(&added), "{added}");
    let (name, domain, fields): (String, Option<String>, serde_json::Value) =
        sqlx::query_as("SELECT name, domain, fields FROM companies WHERE name = 'Goldbely'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), domain.as_deref()), ("Goldbely", Some("goldbely.com")));
    assert!(fields.to_string().contains(r#""column":"Categories","value":"Social, E-Commerce""#), "{fields}");

    // The free plan's 200-company limit refuses the whole file.
    let small = spawn_app(pool.clone());
    let t2 = small.signup("small@example.com").await;
    let c2 = small.campaign(&t2, "Too big").await;
    let r = small.upload(&c2, shared("data/yc-startups-2005-2014.csv"), None, Some(&t2)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.json()["error"].as_str().unwrap().starts_with("Your free plan allows 200 companies per campaign"),
        "{}",
        r.body
    );
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM companies c JOIN campaigns k ON k.id = c.campaign_id WHERE k.name = 'Too big'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(n, 0);
}
