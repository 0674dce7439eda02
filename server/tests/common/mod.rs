//! Test harness: the real router, in-process, on a fresh database per test.
#![allow(dead_code)]

use std::sync::Arc;

use app::server::Settings;
use axum::Router;
use axum::body::Body;
use http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use server::{AppState, build_router, router};
use sqlx::PgPool;
use tower::ServiceExt;

pub const ORIGIN: &str = "http://127.0.0.1:3000";

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
}

pub fn spawn_app(pool: PgPool) -> TestApp {
    spawn_with(pool, Settings::for_tests())
}

pub fn spawn_with(pool: PgPool, settings: Settings) -> TestApp {
    let state = AppState {
        leptos: router::leptos_options("target/site", "127.0.0.1:3000".parse().unwrap()),
        pool: pool.clone(),
        settings: Arc::new(settings),
        hub: server::pipeline::Hub::new(),
    };
    TestApp { router: build_router(state), pool }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session token set by this reply, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("cellstack_session="))
            .map(|v| v.split(';').next().unwrap_or("").to_string())
            .filter(|v| !v.is_empty())
    }
}

async fn read(resp: Response<Body>) -> Reply {
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        read(self.router.clone().oneshot(req).await.unwrap()).await
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(s) = session {
            req = req.header(header::COOKIE, format!("cellstack_session={s}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Calls a server function the way the hydrated app does (form-encoded in, JSON out).
    pub async fn call(&self, path: &str, form: &[(&str, &str)], session: Option<&str>) -> Reply {
        self.send(form_request(path, form, session)).await
    }

    /// [`Self::call`] as if from the client address `ip` (what the server's listener
    /// records), for the per-address throttles.
    pub async fn call_from(&self, ip: &str, path: &str, form: &[(&str, &str)]) -> Reply {
        let mut req = form_request(path, form, None);
        let addr = std::net::SocketAddr::new(ip.parse().unwrap(), 40000);
        req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        self.send(req).await
    }

    /// Signs up a new user and returns their session token.
    pub async fn signup(&self, email: &str) -> String {
        let r = self
            .call("/api/auth/signup", &[("email", email), ("password", "correct horse battery")], None)
            .await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        r.session_cookie().expect("signup sets the session cookie")
    }
}

impl TestApp {
    /// Calls a server function that takes JSON (structured inputs).
    pub async fn call_json(&self, path: &str, body: serde_json::Value, session: Option<&str>) -> Reply {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, ORIGIN);
        if let Some(s) = session {
            req = req.header(header::COOKIE, format!("cellstack_session={s}"));
        }
        self.send(req.body(Body::from(body.to_string())).unwrap()).await
    }

    /// Runs a campaign control action (start, pause, resume, cancel, retry, rescore).
    pub async fn control(&self, campaign: &str, action: &str, session: &str) -> Reply {
        self.call("/api/campaigns/control", &[("id", campaign), ("action", action)], Some(session)).await
    }

    /// Uploads a file to a campaign's import route.
    pub async fn upload(
        &self,
        campaign: &str,
        bytes: Vec<u8>,
        mapping: Option<&str>,
        session: Option<&str>,
    ) -> Reply {
        let mut uri = format!("/api/campaigns/{campaign}/import");
        if let Some(m) = mapping {
            uri.push_str(&format!("?mapping={}", urlencode(m)));
        }
        let mut req =
            Request::post(uri).header(header::CONTENT_TYPE, "text/csv").header(header::ORIGIN, ORIGIN);
        if let Some(s) = session {
            req = req.header(header::COOKIE, format!("cellstack_session={s}"));
        }
        self.send(req.body(Body::from(bytes)).unwrap()).await
    }

    /// Creates a campaign (and a profile for it) and returns the campaign id.
    pub async fn campaign(&self, session: &str, name: &str) -> String {
        let p = self.call_json("/api/profiles/save", serde_json::json!({"id": null, "input": {
            "name": "Acme Data", "website": "acme-data.example", "product": "Warehouse-native data quality checks",
            "audience": "Data teams", "samples": ["Hi Sam,\n\nQuick note.\n\nBest,\nAna"]}}), Some(session)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let profile = p.json().as_str().unwrap().to_string();
        let r = self.call_json("/api/campaigns/create", serde_json::json!({"input": {
            "name": name, "icp": "B2B software companies selling to developers, US-based",
            "personas": [{"title": "VP Engineering", "description": "Owns the platform"}],
            "funding_months": 12, "hiring_roles": ["data engineer"], "tools": ["Snowflake"], "profile_id": profile}}), Some(session)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json().as_str().unwrap().to_string()
    }
}

fn form_request(path: &str, form: &[(&str, &str)], session: Option<&str>) -> Request<Body> {
    let body: String =
        form.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, ORIGIN);
    if let Some(s) = session {
        req = req.header(header::COOKIE, format!("cellstack_session={s}"));
    }
    req.body(Body::from(body)).unwrap()
}

/// A file of the shared field cases or data (see `app::testdata`).
pub fn shared(rel: &str) -> Vec<u8> {
    app::testdata::read_shared(rel)
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The truth audit (`truth_audit.sql`, also run by `scripts/test` after the browser
/// runs): every stored fact cites a retrieved source, verdicts rest on evidence, and
/// companies without evidence claim nothing.
pub async fn truth_audit(pool: &PgPool) {
    let violations: Vec<(String, i64)> =
        sqlx::query_as(include_str!("../truth_audit.sql")).fetch_all(pool).await.unwrap();
    assert!(violations.is_empty(), "truth audit: {violations:?}");
}
