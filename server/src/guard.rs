//! Request guards that apply to whole groups of routes. Each server function and route
//! still checks the session itself; these add the cross-site check and the friendly
//! redirect of visitors to the sign-in page.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use app::server::session;

use crate::AppState;

/// Origins allowed to send state-changing requests: the configured site, and on a
/// loopback site both `127.0.0.1` and `localhost` spellings of it.
pub fn allowed_origins(site_url: &str) -> Vec<String> {
    let mut out = vec![site_url.to_string()];
    for (a, b) in [("//127.0.0.1", "//localhost"), ("//localhost", "//127.0.0.1")] {
        if site_url.contains(a) {
            out.push(site_url.replacen(a, b, 1));
        }
    }
    out
}

/// The origin (`scheme://host[:port]`) of a URL.
fn origin_of(url: &str) -> Option<&str> {
    let rest_start = url.find("://")? + 3;
    let end = url[rest_start..].find('/').map_or(url.len(), |i| rest_start + i);
    Some(&url[..end])
}

/// Decides a state-changing request: true when its `Origin` (or, lacking that, its
/// `Referer`) is this site, or when it carries neither (not a browser form/fetch).
pub fn same_site(headers: &HeaderMap, allowed: &[String]) -> bool {
    let claimed =
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_string).or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| origin_of(r).map(str::to_string))
        });
    match claimed {
        None => true,
        Some(o) => allowed.iter().any(|a| a.eq_ignore_ascii_case(&o)),
    }
}

pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !same_site(req.headers(), &allowed_origins(&state.settings.site_url)) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "This request came from another site and was refused.")
            .into_response();
    }
    next.run(req).await
}

/// App pages that need an account.
pub fn is_private_page(path: &str) -> bool {
    ["/account", "/profiles", "/campaigns"].iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// Sends visitors of private pages to sign in, remembering where they were going.
pub async fn pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET && is_private_page(req.uri().path()) {
        let signed_in = match session::token_from_headers(req.headers()) {
            Some(t) => matches!(session::lookup(&state.pool, &state.settings, &t).await, Ok(Some(_))),
            None => false,
        };
        if !signed_in {
            let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
            let next_param: String = target
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            return Redirect::to(&format!("/login?next={next_param}")).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), v.parse().unwrap());
        }
        h
    }

    #[test]
    fn origin_rules() {
        let allowed = allowed_origins("http://127.0.0.1:3000");
        assert_eq!(allowed, vec!["http://127.0.0.1:3000", "http://localhost:3000"]);
        let check = |name: header::HeaderName, value: &str| same_site(&headers(&[(name, value)]), &allowed);
        assert!(check(header::ORIGIN, "http://127.0.0.1:3000"));
        assert!(check(header::ORIGIN, "http://localhost:3000"));
        assert!(!check(header::ORIGIN, "https://evil.example"));
        assert!(!check(header::ORIGIN, "http://127.0.0.1:3001"));
        assert!(!check(header::REFERER, "https://evil.example/x"));
        assert!(check(header::REFERER, "http://127.0.0.1:3000/login?a"));
        assert!(same_site(&headers(&[]), &allowed));
    }

    #[test]
    fn private_pages() {
        assert!(is_private_page("/campaigns"));
        assert!(is_private_page("/campaigns/abc/leads/1"));
        assert!(is_private_page("/account"));
        assert!(!is_private_page("/accounting"));
        assert!(!is_private_page("/login"));
        assert!(!is_private_page("/"));
    }
}
