//! Tenant isolation: every server function and every plain route the app registers is
//! called as another user and as a visitor, with user A's ids. The list comes from the
//! registered server functions and from the route table the router is built from, so a
//! new endpoint without a case here fails this test.

mod common;

use std::collections::BTreeMap;

use common::{TestApp, shared, spawn_app};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

/// How to call an endpoint with user A's objects.
enum Call {
    Form(Vec<(&'static str, String)>),
    Json(Value),
    Get,
    /// GET with A's campaign id in place of `{id}`.
    GetCampaign,
    Upload,
}

struct Ids {
    campaign: String,
    profile: String,
    company: String,
}

/// User A (signed in) with a profile, a campaign and one company in it.
async fn user_a(app: &TestApp, pool: &PgPool) -> (String, Ids) {
    let a = app.signup("a@example.com").await;
    let campaign = app.campaign(&a, "Alpha secret campaign").await;
    app.call(
        "/api/campaigns/add-companies",
        &[("id", &campaign), ("text", "Alpha Target Co, alpha-target.example")],
        Some(&a),
    )
    .await;
    let profile: String = sqlx::query_scalar("SELECT id::text FROM profiles").fetch_one(pool).await.unwrap();
    let company: i64 = sqlx::query_scalar("SELECT id FROM companies").fetch_one(pool).await.unwrap();
    (a, Ids { campaign, profile, company: company.to_string() })
}

fn cases(a: &Ids) -> BTreeMap<&'static str, Call> {
    let campaign_input = json!({"name": "Stolen", "icp": "Anything at all here", "personas": [{"title": "CTO", "description": ""}], "funding_months": null, "hiring_roles": [], "tools": [], "profile_id": a.profile});
    BTreeMap::from([
        ("/api/auth/me", Call::Form(vec![])),
        (
            "/api/auth/signup",
            Call::Form(vec![("email", "a@example.com".into()), ("password", "correct horse battery".into())]),
        ),
        (
            "/api/auth/login",
            Call::Form(vec![("email", "a@example.com".into()), ("password", "wrong password!".into())]),
        ),
        ("/api/auth/logout", Call::Form(vec![])),
        ("/api/account/overview", Call::Form(vec![])),
        (
            "/api/account/password",
            Call::Form(vec![
                ("current_password", "not the password".into()),
                ("new_password", "taken over now".into()),
            ]),
        ),
        ("/api/account/delete", Call::Form(vec![("confirm_email", "a@example.com".into())])),
        ("/api/profiles/list", Call::Form(vec![])),
        ("/api/profiles/get", Call::Form(vec![("id", a.profile.clone())])),
        (
            "/api/profiles/save",
            Call::Json(
                json!({"id": a.profile, "input": {"name": "Stolen", "website": "", "product": "Overwritten product", "audience": "", "samples": ["x"]}}),
            ),
        ),
        ("/api/profiles/delete", Call::Form(vec![("id", a.profile.clone())])),
        ("/api/campaigns/list", Call::Form(vec![])),
        ("/api/campaigns/get", Call::Form(vec![("id", a.campaign.clone())])),
        ("/api/campaigns/create", Call::Json(json!({"input": campaign_input}))),
        ("/api/campaigns/update", Call::Json(json!({"id": a.campaign, "input": campaign_input}))),
        ("/api/campaigns/delete", Call::Form(vec![("id", a.campaign.clone())])),
        ("/api/campaigns/restore", Call::Form(vec![("id", a.campaign.clone())])),
        (
            "/api/campaigns/add-companies",
            Call::Form(vec![("id", a.campaign.clone()), ("text", "evil.example".into())]),
        ),
        ("/api/campaigns/control", Call::Form(vec![("id", a.campaign.clone()), ("action", "pause".into())])),
        ("/api/leads/get", Call::Form(vec![("campaign", a.campaign.clone()), ("lead", a.company.clone())])),
        ("/api/campaigns/{id}/events", Call::GetCampaign),
        ("/api/campaigns/{id}/export.csv", Call::GetCampaign),
        (
            "/api/outreach/revise",
            Call::Form(vec![
                ("campaign", a.campaign.clone()),
                ("lead", a.company.clone()),
                ("instruction", "shorter".into()),
            ]),
        ),
        (
            "/api/outreach/edit",
            Call::Form(vec![
                ("campaign", a.campaign.clone()),
                ("lead", a.company.clone()),
                ("subject", "x".into()),
                ("body", "Overwritten".into()),
            ]),
        ),
        (
            "/api/outreach/restore",
            Call::Form(vec![
                ("campaign", a.campaign.clone()),
                ("lead", a.company.clone()),
                ("version", "1".into()),
            ]),
        ),
        (
            "/api/campaigns/remove-company",
            Call::Form(vec![("id", a.campaign.clone()), ("company", a.company.clone())]),
        ),
        ("/healthz", Call::Get),
        ("/api/account/export.json", Call::Get),
        ("/api/campaigns/{id}/import", Call::Upload),
    ])
}

/// Endpoints anyone may call; for them only "no data of A" is checked.
const PUBLIC: &[&str] = &["/api/auth/me", "/api/auth/signup", "/api/auth/login", "/healthz"];

async fn call(app: &TestApp, path: &str, how: &Call, ids: &Ids, session: Option<&str>) -> common::Reply {
    match how {
        Call::Form(f) => {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(path, &pairs, session).await
        }
        Call::Json(v) => app.call_json(path, v.clone(), session).await,
        Call::Get => app.get(path, session).await,
        Call::GetCampaign => app.get(&path.replace("{id}", &ids.campaign), session).await,
        Call::Upload => {
            app.upload(&ids.campaign, shared("cases/c01_utf8_bom_header.csv"), None, session).await
        }
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_endpoint_refuses_other_users_and_visitors(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let (a, ids) = user_a(&app, &pool).await;
    let campaign = ids.campaign.clone();
    let secrets = [
        "a@example.com",
        "Alpha secret campaign",
        "Alpha Target Co",
        "alpha-target.example",
        "Warehouse-native",
        campaign.as_str(),
    ];

    // The registered endpoints, from the app itself.
    let mut registered: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    registered.extend(server::routes::table().into_iter().map(|(p, _)| p.to_string()));
    registered.sort();
    registered.dedup();
    let table = cases(&ids);
    let missing: Vec<&String> = registered.iter().filter(|p| !table.contains_key(p.as_str())).collect();
    assert!(missing.is_empty(), "endpoints without an isolation case: {missing:?}");

    let b = app.signup("b@example.com").await;
    for (path, how) in &table {
        for (who, session) in [("user B", Some(b.as_str())), ("visitor", None)] {
            if *path == "/api/auth/logout" && who == "user B" {
                continue; // would end B's session; checked below as its own step
            }
            let r = call(&app, path, how, &ids, session).await;
            for s in secrets {
                assert!(!r.body.contains(s), "{path} as {who} leaked {s:?}: {}", r.body);
            }
            if PUBLIC.contains(path) {
                continue;
            }
            let own_data = who == "user B"
                && matches!(
                    *path,
                    "/api/account/overview"
                        | "/api/profiles/list"
                        | "/api/campaigns/list"
                        | "/api/account/export.json"
                );
            if own_data {
                assert!(r.status.is_success(), "{path} as {who}: {} {}", r.status, r.body);
                continue;
            }
            let expected: &[StatusCode] = if who == "visitor" {
                &[StatusCode::UNAUTHORIZED]
            } else {
                &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN, StatusCode::UNPROCESSABLE_ENTITY]
            };
            assert!(expected.contains(&r.status), "{path} as {who}: got {} {}", r.status, r.body);
        }
    }
    let out = app.call("/api/auth/logout", &[], Some(&b)).await;
    assert!(!out.body.contains("a@example.com"));

    // A's data is untouched.
    let name: String = sqlx::query_scalar("SELECT name FROM campaigns WHERE id = $1::uuid")
        .bind(&campaign)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Alpha secret campaign");
    let deleted: Option<time::OffsetDateTime> =
        sqlx::query_scalar("SELECT deleted_at FROM campaigns WHERE id = $1::uuid")
            .bind(&campaign)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(deleted.is_none());
    let companies: i64 = sqlx::query_scalar("SELECT count(*) FROM companies WHERE campaign_id = $1::uuid")
        .bind(&campaign)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(companies, 1);
    let product: String = sqlx::query_scalar("SELECT product FROM profiles WHERE id = $1::uuid")
        .bind(&ids.profile)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(product, "Warehouse-native data quality checks");
    assert_eq!(app.call("/api/auth/me", &[], Some(&a)).await.json()["email"], "a@example.com");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn pages_of_another_users_records_answer_404(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let (a, Ids { campaign, profile, company }) = user_a(&app, &pool).await;
    let pages = [
        format!("/campaigns/{campaign}"),
        format!("/campaigns/{campaign}/edit"),
        format!("/campaigns/{campaign}/leads/{company}"),
        format!("/profiles/{profile}"),
    ];
    let b = app.signup("b@example.com").await;
    for page in &pages {
        let own = app.get(page, Some(&a)).await;
        assert_eq!(own.status, StatusCode::OK, "{page} as its owner");
        let other = app.get(page, Some(&b)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{page} as another user: {}", other.body);
        assert!(!other.body.contains("Alpha"), "{page} leaked to another user");
    }
}
