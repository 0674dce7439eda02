//! What the pipeline's steps call: an OpenAI-compatible LLM ([`llm`]), Exa search
//! ([`exa`]), an SSRF-safe web fetcher ([`fetch`]), and the keyless built-in analyzer
//! ([`builtin`], the default). Shared limits ([`limits`]), the response [`cache`] and
//! [`prices`] apply to all of them; [`fake`] serves look-alike HTTP APIs for tests.

pub mod cache;
pub mod error;
pub mod exa;
pub mod fake;
pub mod fetch;
pub mod limits;
pub mod llm;
pub mod prices;
pub mod retry_after;
pub mod reviser;

use std::time::Duration;

pub use app::analyzer as builtin;
pub use error::ProviderError;

/// Which providers are configured, and how they are limited and priced.
#[derive(Clone)]
pub struct Providers {
    pub llm: Option<llm::LlmClient>,
    pub exa: Option<exa::ExaClient>,
    /// `None` when website fetching is turned off.
    pub fetcher: Option<fetch::Fetcher>,
    pub limits: limits::Limits,
    pub prices: prices::PriceTable,
    pub cache_ttl: Duration,
}

impl Default for Providers {
    /// The built-in analyzer alone: no keys, no network.
    fn default() -> Self {
        Providers {
            llm: None,
            exa: None,
            fetcher: None,
            limits: limits::Limits::default(),
            prices: prices::PriceTable::parse(prices::DEFAULT_PRICES, 0.005)
                .unwrap_or(prices::PriceTable { models: Vec::new(), search_call: 0.005 }),
            cache_ttl: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

impl std::fmt::Debug for Providers {
    // Clients hold keys: show only what is configured.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

impl Providers {
    /// Outreach revisions by the configured LLM (priced like the pipeline's calls), or
    /// the built-in rewriter when there is none.
    pub fn reviser(&self) -> app::server::reviser::ReviserSlot {
        app::server::reviser::ReviserSlot(self.llm.clone().map(|llm| {
            std::sync::Arc::new(reviser::LlmReviser { llm, prices: self.prices.clone() })
                as std::sync::Arc<dyn app::server::reviser::Reviser>
        }))
    }

    /// For people: "gpt-4o-mini via OpenAI-compatible API, Exa search, website fetching".
    pub fn label(&self) -> String {
        let mut parts = vec![match &self.llm {
            Some(l) => format!("LLM {}", l.model()),
            None => "built-in analyzer".to_string(),
        }];
        if self.exa.is_some() {
            parts.push("Exa search".into());
        }
        parts.push(if self.fetcher.is_some() { "website fetching" } else { "no website fetching" }.into());
        parts.join(", ")
    }

    /// Expected dollars per company with these providers.
    pub fn per_company_estimate(&self) -> f64 {
        self.prices.per_company(self.llm.as_ref().map(|l| l.model()), self.exa.is_some())
    }

    /// Creates each provider's concurrency slots (idempotent; run at start-up).
    pub async fn configure(&self, pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
        limits::configure(pool, "llm", &self.limits.llm).await?;
        limits::configure(pool, "search", &self.limits.search).await?;
        limits::configure(pool, "fetch", &self.limits.fetch).await
    }
}
