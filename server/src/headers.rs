//! Security headers on every response (pages, API, errors): no MIME sniffing, no framing
//! by other sites (clickjacking), and no full URLs (campaign ids) in Referer to other
//! origins. A script CSP is left out: Leptos hydration runs inline scripts.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

const HEADERS: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
];

/// Adds [`HEADERS`] to every response that does not set them itself.
pub fn apply(mut router: Router) -> Router {
    for (name, value) in HEADERS {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    router
}
