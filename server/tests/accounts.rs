//! Accounts, sessions, throttling, cross-site refusal and erasure, through the router.

mod common;

use common::{ORIGIN, spawn_app, spawn_with};
use http::{Request, StatusCode, header};
use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn signup_normalizes_email_and_refuses_duplicates_and_short_passwords(pool: PgPool) {
    let app = spawn_app(pool.clone());
    app.signup("  Ana@Example.COM ").await;
    let email: String = sqlx::query_scalar("SELECT email FROM users").fetch_one(&pool).await.unwrap();
    assert_eq!(email, "ana@example.com");

    let dup = app
        .call("/api/auth/signup", &[("email", "ana@example.com"), ("password", "another good one")], None)
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        dup.json(),
        serde_json::json!({"Invalid": [{"field": "email", "message": "An account with this email already exists. Sign in instead."}]})
    );
    let short = app.call("/api/auth/signup", &[("email", "bo@example.com"), ("password", "123")], None).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("Use at least 10 characters (3 so far)."), "{}", short.body);
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(&pool).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn sign_in_rotates_the_session_and_sign_out_deletes_it(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let first = app.signup("cy@example.com").await;
    let me = app.call("/api/auth/me", &[], Some(&first)).await;
    assert_eq!(me.json()["email"], "cy@example.com");

    let wrong = app
        .call("/api/auth/login", &[("email", "cy@example.com"), ("password", "not my password")], None)
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .call("/api/auth/login", &[("email", "nobody@example.com"), ("password", "not my password")], None)
        .await;
    assert_eq!(unknown.body, wrong.body, "the answer must not tell whether the email exists");

    // Signing in with an old cookie replaces it: a new id, and the old row is gone.
    let login = app
        .call(
            "/api/auth/login",
            &[("email", "cy@example.com"), ("password", "correct horse battery")],
            Some(&first),
        )
        .await;
    let second = login.session_cookie().expect("new session");
    assert_ne!(first, second);
    let cookie = login.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(app.call("/api/auth/me", &[], Some(&first)).await.body, "null");

    let out = app.call("/api/auth/logout", &[], Some(&second)).await;
    assert!(out.status.is_success() || out.status.is_redirection(), "{}", out.status);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);
    assert_eq!(app.call("/api/auth/me", &[], Some(&second)).await.body, "null");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn idle_sessions_expire(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let token = app.signup("di@example.com").await;
    sqlx::query("UPDATE sessions SET last_seen = now() - interval '15 days'").execute(&pool).await.unwrap();
    assert_eq!(app.call("/api/auth/me", &[], Some(&token)).await.body, "null");
    assert_eq!(app.get("/account", Some(&token)).await.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn failed_sign_ins_are_slowed_then_refused_with_retry_after(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.login_slow_after = 100; // keep the test fast; slowing is unit-tested
    settings.login_max_failures = 3;
    let app = spawn_with(pool, settings);
    app.signup("ed@example.com").await;
    for _ in 0..3 {
        let r = app
            .call("/api/auth/login", &[("email", "ed@example.com"), ("password", "wrong password 1")], None)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = app
        .call("/api/auth/login", &[("email", "ed@example.com"), ("password", "correct horse battery")], None)
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((890..=900).contains(&retry), "{retry}");
    assert_eq!(refused.json(), serde_json::json!({"Throttled": {"retry_after_secs": retry}}));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn concurrent_wrong_passwords_get_no_more_tries_than_the_limit(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.login_slow_after = 100;
    settings.login_max_failures = 3;
    let app = spawn_with(pool.clone(), settings);
    app.signup("burst@example.com").await;
    let guesses = (0..10).map(|i| {
        let password = format!("wrong guess {i:02}");
        let app = &app;
        async move {
            app.call("/api/auth/login", &[("email", "burst@example.com"), ("password", &password)], None)
                .await
        }
    });
    let replies = futures::future::join_all(guesses).await;
    let count = |code: StatusCode| replies.iter().filter(|r| r.status == code).count();
    assert_eq!(
        (count(StatusCode::UNPROCESSABLE_ENTITY), count(StatusCode::TOO_MANY_REQUESTS)),
        (3, 7),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let recorded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM login_failures WHERE key = 'email:burst@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(recorded, 3);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_right_password_clears_the_attempts_it_made(pool: PgPool) {
    let app = spawn_app(pool.clone());
    app.signup("ok@example.com").await;
    let from = |password: &'static str| {
        let app = &app;
        async move {
            app.call_from(
                "10.0.0.7",
                "/api/auth/login",
                &[("email", "ok@example.com"), ("password", password)],
            )
            .await
        }
    };
    assert_eq!(from("wrong password 1").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(from("correct horse battery").await.session_cookie().is_some());
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT key FROM login_failures ORDER BY key").fetch_all(&pool).await.unwrap();
    // The email's count is cleared; the address keeps its one failure, not the success.
    assert_eq!(keys, vec!["ip:10.0.0.7".to_string()]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn sign_ups_per_address_are_limited(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.signup_max_per_address = 2;
    let app = spawn_with(pool.clone(), settings);
    let signup = |ip: &'static str, email: &'static str| {
        let app = &app;
        async move {
            app.call_from(ip, "/api/auth/signup", &[("email", email), ("password", "correct horse battery")])
                .await
        }
    };
    assert!(signup("10.0.0.1", "s1@example.com").await.session_cookie().is_some());
    // A refused duplicate still counts: it cost a password hash.
    assert_eq!(signup("10.0.0.1", "s1@example.com").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let third = signup("10.0.0.1", "s3@example.com").await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS, "{}", third.body);
    let retry: u64 = third.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((3590..=3600).contains(&retry), "{retry}");
    assert_eq!(third.json(), serde_json::json!({"Throttled": {"retry_after_secs": retry}}));
    assert!(signup("10.0.0.2", "s4@example.com").await.session_cookie().is_some(), "another address");
    let emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM users ORDER BY email").fetch_all(&pool).await.unwrap();
    assert_eq!(emails, vec!["s1@example.com".to_string(), "s4@example.com".to_string()]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn wrong_current_passwords_are_throttled_per_user(pool: PgPool) {
    let mut settings = app::server::Settings::for_tests();
    settings.login_slow_after = 100;
    settings.login_max_failures = 3;
    let app = spawn_with(pool.clone(), settings);
    let t = app.signup("cp@example.com").await;
    let change = |current: &'static str, new: &'static str| {
        let (app, t) = (&app, &t);
        async move {
            app.call(
                "/api/account/password",
                &[("current_password", current), ("new_password", new)],
                Some(t),
            )
            .await
        }
    };
    // One wrong, then right: the right one clears the count.
    assert_eq!(change("not it at all", "a brand new secret").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(change("correct horse battery", "a brand new secret").await.status, StatusCode::OK);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM login_failures").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);
    for _ in 0..3 {
        let r = change("still not it", "taken over now").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = change("a brand new secret", "taken over now").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    // Refused means unchanged: the password is still the one set before.
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.call("/api/auth/login", &[("email", "cp@example.com"), ("password", password)], None).await
        }
    };
    assert!(login("a brand new secret").await.session_cookie().is_some());
    assert_eq!(login("taken over now").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn cross_site_posts_are_refused(pool: PgPool) {
    let app = spawn_app(pool);
    let req = Request::post("/api/auth/signup")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .body(axum::body::Body::from("email=x%40example.com&password=correct+horse+battery"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(users, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn visitors_are_sent_to_sign_in_and_back(pool: PgPool) {
    let app = spawn_app(pool);
    let r = app.get("/account?tab=data", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/login?next=/account%3Ftab%3Ddata");
    let login = app
        .call(
            "/api/auth/signup",
            &[("email", "fa@example.com"), ("password", "correct horse battery"), ("next", "/account")],
            None,
        )
        .await;
    assert!(login.session_cookie().is_some());
    // Only same-site paths are followed.
    let evil = app
        .call(
            "/api/auth/signup",
            &[("email", "fb@example.com"), ("password", "correct horse battery"), ("next", "//evil.example")],
            None,
        )
        .await;
    assert_eq!(evil.headers[header::LOCATION], "/", "{:?}", evil.headers);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn password_change_needs_the_current_one_and_ends_other_sessions(pool: PgPool) {
    let app = spawn_app(pool);
    let a = app.signup("gu@example.com").await;
    let b = app
        .call("/api/auth/login", &[("email", "gu@example.com"), ("password", "correct horse battery")], None)
        .await
        .session_cookie()
        .unwrap();
    let bad = app
        .call(
            "/api/account/password",
            &[("current_password", "nope nope nope"), ("new_password", "a brand new secret")],
            Some(&a),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .call(
            "/api/account/password",
            &[("current_password", "correct horse battery"), ("new_password", "a brand new secret")],
            Some(&a),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body, "1");
    assert_eq!(app.call("/api/auth/me", &[], Some(&b)).await.body, "null");
    assert_eq!(app.call("/api/auth/me", &[], Some(&a)).await.json()["email"], "gu@example.com");
    let relog = app
        .call("/api/auth/login", &[("email", "gu@example.com"), ("password", "a brand new secret")], None)
        .await;
    assert!(relog.session_cookie().is_some());
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn healthz_answers_when_the_database_does(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let r = app.get("/healthz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    pool.close().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn export_is_owner_only_json(pool: PgPool) {
    let app = spawn_app(pool);
    let t = app.signup("hi@example.com").await;
    let r = app.get("/api/account/export.json", Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert_eq!(doc["format"], "cellstack-export");
    assert_eq!(doc["user"]["email"], "hi@example.com");
    assert_eq!(app.get("/api/account/export.json", None).await.status, StatusCode::UNAUTHORIZED);
    let _ = ORIGIN;
}

/// Every table with an `owner_id` column, from the live schema (so new tables are covered).
async fn owned_tables(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'owner_id' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn deleting_the_account_removes_every_row_it_owns(pool: PgPool) {
    let app = spawn_app(pool.clone());
    let token = app.signup("ivy@example.com").await;
    let keep = app.signup("other@example.com").await;
    let _ = keep;
    // One of every kind of object, for both users.
    for email in ["ivy@example.com", "other@example.com"] {
        sqlx::query(
            "WITH u AS (SELECT id FROM users WHERE email = $1),
                  p AS (INSERT INTO profiles (id, owner_id, name, product)
                        SELECT gen_random_uuid(), id, 'Acme', 'Widgets' FROM u RETURNING id, owner_id),
                  c AS (INSERT INTO campaigns (id, owner_id, name, icp, profile_id)
                        SELECT gen_random_uuid(), owner_id, 'C', 'ICP', id FROM p RETURNING id, owner_id),
                  co AS (INSERT INTO companies (campaign_id, owner_id, position, name)
                         SELECT id, owner_id, 0, 'Foo' FROM c RETURNING id, owner_id, campaign_id),
                  t AS (INSERT INTO pipeline_tasks (campaign_id, company_id, owner_id, step)
                        SELECT campaign_id, id, owner_id, 'research' FROM co RETURNING id),
                  e AS (INSERT INTO campaign_events (campaign_id, owner_id, kind)
                        SELECT campaign_id, owner_id, 'status' FROM co RETURNING id),
                  pc AS (INSERT INTO provider_cache (owner_id, request_hash, provider, response)
                         SELECT owner_id, 'h', 'llm', '{}' FROM co RETURNING owner_id)
             INSERT INTO outreach_versions (company_id, owner_id, version, body, kind, author)
             SELECT id, owner_id, 1, 'Hi', 'generated', 'builtin' FROM co",
        )
        .bind(email)
        .execute(&pool)
        .await
        .unwrap();
    }
    let ivy: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ivy@example.com'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let tables = owned_tables(&pool).await;
    assert!(tables.len() >= 5, "{tables:?}");
    for t in &tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t} WHERE owner_id = $1"))
            .bind(ivy)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(n > 0, "fixture has no row in {t}");
    }

    let wrong =
        app.call("/api/account/delete", &[("confirm_email", "other@example.com")], Some(&token)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = app.call("/api/account/delete", &[("confirm_email", "IVY@example.com")], Some(&token)).await;
    assert!(done.status.is_success() || done.status.is_redirection(), "{} {}", done.status, done.body);

    for t in &tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t} WHERE owner_id = $1"))
            .bind(ivy)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 0, "{t} still holds rows of the deleted user");
        let others: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM {t}")).fetch_one(&pool).await.unwrap();
        assert!(others > 0, "{t}: the other user's rows must stay");
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE id = $1")
        .bind(ivy)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0);
    assert_eq!(app.call("/api/auth/me", &[], Some(&token)).await.body, "null");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_404_page_knows_who_is_signed_in(pool: PgPool) {
    let app = spawn_app(pool);
    let t = app.signup("lost@example.com").await;
    let r = app.get("/no-such-page", Some(&t)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("lost@example.com"), "the header shows the signed-in user: {}", r.body);
    assert!(!r.body.contains("Create account"), "no sign-up offer to a signed-in user");
}
