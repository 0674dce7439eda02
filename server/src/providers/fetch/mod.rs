//! Fetching company web pages for research without becoming a tool for SSRF: every URL,
//! every redirect hop and every DNS answer is screened before anything is connected to,
//! and only the text a human visitor would see is returned.

mod body;
mod css;
mod entities;
pub mod guard;
pub mod html;
mod resolve;
pub mod robots;
mod site;
mod text;

pub use text::plain_text;

use std::error::Error as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use url::{Host, Url};

use resolve::{Blocked, GuardedResolver, Net, Refusal};

/// Redirects followed per fetch; the sixth is refused.
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Per TCP connection attempt (and per DNS lookup).
    pub connect_timeout: Duration,
    /// Per fetch, redirects and body included.
    pub total_timeout: Duration,
    /// Largest body read; bigger pages are `TooLarge`.
    pub max_bytes: usize,
    /// Page text is cut (with a marker) beyond this many characters.
    pub max_text_chars: usize,
    pub user_agent: String,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            max_bytes: 2 * 1024 * 1024,
            max_text_chars: 20_000,
            user_agent: "CellstackBot/1.0 (+https://github.com/cellstack)".to_string(),
        }
    }
}

/// What became of one fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// `url` is the final URL after redirects.
    Page {
        url: String,
        title: Option<String>,
        text: String,
    },
    /// Refused before connecting; the reason names the rule.
    Unsafe(String),
    Unreachable(String),
    /// Not an HTML page; carries the content type.
    NotHtml(String),
    Status(u16),
    TooLarge,
    Disallowed,
}

/// The pages of one company site plus one short note per problem met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFetch {
    pub pages: Vec<FetchedPage>,
    pub notes: Vec<String>,
    /// The site's own URL (or its DNS answer) was refused as unsafe.
    pub unsafe_url: bool,
    /// The site could not be reached at all.
    pub unreachable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    pub url: String,
    pub title: Option<String>,
    pub text: String,
}

#[derive(Clone)]
pub struct Fetcher {
    /// None only if the TLS backend failed to initialise; every fetch then reports it.
    client: Option<reqwest::Client>,
    config: Arc<FetchConfig>,
    net: Arc<Net>,
    /// Requests handed to the HTTP client, so tests can prove that none was made.
    attempts: Arc<AtomicUsize>,
    /// Bare domains are tried over https; tests' local fixtures speak plain http.
    pub(crate) plain_http: bool,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("config", &self.config).finish_non_exhaustive()
    }
}

/// What a caller of `get` accepts.
#[derive(Clone, Copy)]
struct Want {
    accept: &'static str,
    /// Refuse anything that is not HTML (robots.txt is plain text).
    html_only: bool,
}

impl Want {
    const PAGE: Want = Want { accept: "text/html,application/xhtml+xml;q=0.9", html_only: true };
    const ROBOTS: Want = Want { accept: "text/plain", html_only: false };
}

/// A response body that passed every check, before it is turned into text.
struct Body {
    url: Url,
    content_type: String,
    bytes: Vec<u8>,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Self {
        let net = Net::new(Vec::new(), Vec::new(), config.connect_timeout);
        Self::build(Arc::new(config), Arc::new(net))
    }

    /// Tests only: resolve these host names to these socket addresses instead of DNS, and
    /// allow exactly these addresses even if private (so a local fixture server can stand in
    /// for a public site). Production never calls it.
    pub fn with_overrides(self, resolve: Vec<(String, SocketAddr)>, allow: Vec<SocketAddr>) -> Self {
        let net = Net::new(resolve, allow, self.config.connect_timeout);
        Self::build(self.config, Arc::new(net))
    }

    fn build(config: Arc<FetchConfig>, net: Arc<Net>) -> Self {
        let client = reqwest::Client::builder()
            .no_proxy() // a proxy would resolve names itself, past our screening
            .redirect(reqwest::redirect::Policy::none()) // every hop is screened in `get`
            .referer(false)
            .connect_timeout(config.connect_timeout)
            .timeout(config.total_timeout)
            .user_agent(config.user_agent.as_str())
            .dns_resolver(Arc::new(GuardedResolver(Arc::clone(&net))))
            .build();
        let client = client.map_err(|e| tracing::error!(error = %e, "cannot build the page fetcher")).ok();
        Fetcher { client, config, net, attempts: Arc::new(AtomicUsize::new(0)), plain_http: false }
    }

    /// Tests only: bare domains are fetched over plain http (local fixtures have no TLS).
    pub fn with_plain_http(mut self) -> Self {
        self.plain_http = true;
        self
    }

    /// Fetches one URL safely. Never panics; never contacts an unsafe address.
    pub async fn fetch(&self, url: &str) -> FetchOutcome {
        match self.get(url, Want::PAGE, &mut false).await {
            Ok(body) => {
                let text = body::decode(&body.bytes, &body.content_type);
                let (title, text) = html::page_text(&text, self.config.max_text_chars);
                FetchOutcome::Page { url: body.url.to_string(), title, text }
            }
            Err(outcome) => outcome,
        }
    }

    /// Fetches a company's homepage, then /about and /careers (or /jobs if /careers is 404),
    /// respecting robots.txt (fetched once per site, 404 robots = allow all). If the homepage
    /// is unsafe or unreachable, stops there (no further requests). Returns pages plus one
    /// short human note per problem.
    pub async fn fetch_site(&self, domain_or_url: &str) -> SiteFetch {
        site::fetch_site(self, domain_or_url).await
    }

    /// GETs `raw`, following redirects by hand, within the total timeout. `answered` is set
    /// once any server responds, which tells a dead host from a misbehaving one.
    async fn get(&self, raw: &str, want: Want, answered: &mut bool) -> Result<Body, FetchOutcome> {
        let limit = self.config.total_timeout;
        match tokio::time::timeout(limit, self.get_inner(raw, want, answered)).await {
            Ok(result) => result,
            Err(_) => Err(FetchOutcome::Unreachable(format!("no answer within {} s", limit.as_secs_f32()))),
        }
    }

    async fn get_inner(&self, raw: &str, want: Want, answered: &mut bool) -> Result<Body, FetchOutcome> {
        let Some(client) = &self.client else {
            return Err(FetchOutcome::Unreachable("the HTTP client could not be initialised".into()));
        };
        let mut url = self.vet(raw).await?;
        let mut hops = 0;
        loop {
            self.attempts.fetch_add(1, Ordering::Relaxed);
            let mut resp =
                client.get(url.clone()).header(ACCEPT, want.accept).send().await.map_err(classify)?;
            *answered = true;
            let status = resp.status();
            if status.is_redirection() {
                let Some(location) = resp.headers().get(LOCATION) else {
                    return Err(FetchOutcome::Status(status.as_u16()));
                };
                hops += 1;
                if hops > MAX_REDIRECTS {
                    return Err(FetchOutcome::Unreachable(format!("more than {MAX_REDIRECTS} redirects")));
                }
                let next = location.to_str().ok().and_then(|l| url.join(l).ok());
                let next =
                    next.ok_or_else(|| FetchOutcome::Unreachable("invalid redirect location".into()))?;
                url = self.vet(next.as_str()).await?;
                continue;
            }
            if !status.is_success() {
                return Err(FetchOutcome::Status(status.as_u16()));
            }
            let content_type =
                resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            // Refuse before downloading, e.g. a PDF, when the type is declared.
            if want.html_only && !content_type.is_empty() && !body::is_html(&content_type) {
                return Err(FetchOutcome::NotHtml(body::media_type(&content_type)));
            }
            let bytes = body::read_capped(&mut resp, self.config.max_bytes).await?;
            if want.html_only && content_type.is_empty() && !body::looks_like_html(&bytes) {
                return Err(FetchOutcome::NotHtml("no content type".into()));
            }
            return Ok(Body { url, content_type, bytes });
        }
    }

    /// Screens a URL, and for a host name its DNS answers, before any connection.
    async fn vet(&self, raw: &str) -> Result<Url, FetchOutcome> {
        let url = guard::check_url_except(raw, |u| self.net.exempt(u))
            .map_err(|e| FetchOutcome::Unsafe(e.to_string()))?;
        if let Some(Host::Domain(host)) = url.host() {
            self.net.vet_host(host, &url).await.map_err(|refusal| match refusal {
                Refusal::Unsafe(reason) => FetchOutcome::Unsafe(reason),
                Refusal::Unresolved(reason) => FetchOutcome::Unreachable(reason),
            })?;
        }
        Ok(url)
    }
}

/// Maps a client error to an outcome; a refusal by our resolver is Unsafe, not a network fault.
fn classify(error: reqwest::Error) -> FetchOutcome {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error.source();
    let mut root = None;
    while let Some(err) = cause {
        if let Some(blocked) = err.downcast_ref::<Blocked>() {
            return FetchOutcome::Unsafe(blocked.0.clone());
        }
        root = Some(err);
        cause = err.source();
    }
    let detail = root.map_or_else(|| error.to_string(), |r| r.to_string());
    let detail = detail.split(" (os error").next().unwrap_or_default(); // "Connection refused"
    if error.is_timeout() {
        FetchOutcome::Unreachable("timed out".into())
    } else if error.is_connect() {
        FetchOutcome::Unreachable(format!("could not connect ({detail})"))
    } else {
        FetchOutcome::Unreachable(detail.to_string())
    }
}

#[cfg(test)]
mod tests;
