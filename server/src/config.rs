//! Configuration: environment variables read once at start-up into one typed struct.
//! Every variable, its default and its meaning is listed in the README.

use std::net::SocketAddr;
use std::time::Duration;

use app::server::{Plan, Settings};

use crate::providers::Providers;
use crate::providers::exa::{ExaClient, ExaConfig};
use crate::providers::fetch::{FetchConfig, Fetcher};
use crate::providers::limits::{Limit, Limits};
use crate::providers::llm::{LlmClient, LlmConfig};
use crate::providers::prices::{DEFAULT_PRICES, PriceTable};

/// A value that must never reach a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// Set by the launcher; a private cluster's URL when `scripts/run` started one.
    pub database_url: Secret,
    pub db_max_connections: u32,
    /// Where cargo-leptos put the compiled site (wasm, js, css, public files).
    pub site_root: String,
    pub settings: Settings,
    pub purge_after_days: u32,
    /// Worker pool settings, including the research providers they call.
    pub workers: crate::pipeline::WorkerConfig,
    /// `cellstack demo` may seed its known password on a non-loopback site.
    pub demo_allow_public: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set. {1}")]
    Missing(&'static str, &'static str),
    #[error("{name} has an invalid value {value:?}: {why}")]
    Invalid { name: &'static str, value: String, why: String },
}

/// Reads variables through `get`, so tests can pass a map instead of the process env.
pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    fn parse<T: std::str::FromStr>(
        get: &impl Fn(&str) -> Option<String>,
        name: &'static str,
        default: T,
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match get(name).filter(|v| !v.trim().is_empty()) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
                name,
                value: v,
                why: e.to_string(),
            }),
        }
    }
    let bind: SocketAddr = match get("CELLSTACK_ADDR").or_else(|| get("LEPTOS_SITE_ADDR")) {
        None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        Some(v) => v.parse().map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
            name: "CELLSTACK_ADDR",
            value: v,
            why: e.to_string(),
        })?,
    };
    let database_url = get("DATABASE_URL").filter(|v| !v.is_empty()).ok_or(ConfigError::Missing(
        "DATABASE_URL",
        "Use scripts/run, or point it at a PostgreSQL database.",
    ))?;
    let site_url = get("SITE_URL")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| format!("http://{bind}"))
        .trim_end_matches('/')
        .to_string();
    if !(site_url.starts_with("http://") || site_url.starts_with("https://")) {
        return Err(ConfigError::Invalid {
            name: "SITE_URL",
            value: site_url,
            why: "must start with http:// or https://".into(),
        });
    }
    let cookie_secure = parse(&get, "COOKIE_SECURE", site_url.starts_with("https://"))?;
    let plans = parse_plans(&get("PLANS").unwrap_or_else(|| "free:3:1000,pro:50:50000".into()))?;
    let default_plan: String = parse(&get, "DEFAULT_PLAN", "free".to_string())?;
    if !plans.iter().any(|p| p.name == default_plan) {
        return Err(ConfigError::Invalid {
            name: "DEFAULT_PLAN",
            value: default_plan,
            why: "is not one of the plans in PLANS".into(),
        });
    }
    let days = |d: u64| Duration::from_secs(d * 24 * 3600);
    let providers = providers(&get)?;
    // A zero lease would expire at once and its heartbeat (every third of it) would spin.
    let lease_secs: u64 = parse(&get, "PIPELINE_LEASE_SECS", 120)?;
    if lease_secs == 0 {
        return Err(ConfigError::Invalid {
            name: "PIPELINE_LEASE_SECS",
            value: lease_secs.to_string(),
            why: "a lease must last at least 1 second".into(),
        });
    }
    Ok(Config {
        bind,
        database_url: Secret(database_url),
        db_max_connections: parse(&get, "DATABASE_MAX_CONNECTIONS", 20)?,
        site_root: parse(&get, "LEPTOS_SITE_ROOT", "target/site".to_string())?,
        settings: Settings {
            site_url,
            cookie_secure,
            session_idle: days(parse(&get, "SESSION_IDLE_DAYS", 14)?),
            login_window: Duration::from_secs(parse(&get, "LOGIN_THROTTLE_WINDOW_SECS", 900)?),
            login_slow_after: parse(&get, "LOGIN_SLOW_AFTER", 3)?,
            login_max_failures: parse(&get, "LOGIN_MAX_FAILURES", 8)?,
            signup_window: Duration::from_secs(parse(&get, "SIGNUP_THROTTLE_WINDOW_SECS", 3600)?),
            signup_max_per_address: parse(&get, "SIGNUP_MAX_PER_ADDRESS", 10)?,
            plans,
            default_plan,
            research_label: providers.label(),
            per_company_micros: (providers.per_company_estimate() * 1e6).round() as i64,
            reviser: providers.reviser(),
        },
        purge_after_days: parse(&get, "PURGE_AFTER_DAYS", 30)?,
        workers: crate::pipeline::WorkerConfig {
            workers: parse(&get, "PIPELINE_WORKERS", 4)?,
            lease: Duration::from_secs(lease_secs),
            poll: Duration::from_millis(parse(&get, "PIPELINE_POLL_MS", 1000)?),
            step_delay: Duration::from_millis(parse(&get, "PIPELINE_STEP_DELAY_MS", 0)?),
            providers: std::sync::Arc::new(providers),
        },
        demo_allow_public: parse(&get, "DEMO_ALLOW_PUBLIC", false)?,
    })
}

/// The research providers: an LLM when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set
/// (local servers such as Ollama need no key), Exa when `EXA_API_KEY` is set, website
/// fetching unless `FETCH_WEBSITES=false`; otherwise the built-in analyzer.
fn providers(get: &impl Fn(&str) -> Option<String>) -> Result<Providers, ConfigError> {
    let p = |name: &'static str, default: f64| -> Result<f64, ConfigError> {
        match get(name).filter(|v| !v.trim().is_empty()) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<f64>() {
                Ok(x) if x >= 0.0 && x.is_finite() => Ok(x),
                _ => Err(ConfigError::Invalid { name, value: v, why: "expected a number >= 0".into() }),
            },
        }
    };
    let set = |name: &str| get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let llm = if set("OPENAI_API_KEY").is_some() || set("OPENAI_BASE_URL").is_some() {
        Some(LlmClient::new(LlmConfig {
            // Local OpenAI-compatible servers accept any key.
            api_key: set("OPENAI_API_KEY").unwrap_or_else(|| "no-key".into()),
            base_url: set("OPENAI_BASE_URL").unwrap_or_else(|| "https://api.openai.com/v1".into()),
            model: set("OPENAI_MODEL").unwrap_or_else(|| "gpt-4o-mini".into()),
            timeout: Duration::from_secs_f64(p("OPENAI_TIMEOUT_SECS", 90.0)?),
            max_tokens: p("OPENAI_MAX_TOKENS", 1500.0)? as u32,
        }))
    } else {
        None
    };
    let exa = set("EXA_API_KEY").map(|api_key| {
        ExaClient::new(ExaConfig {
            api_key,
            base_url: set("EXA_BASE_URL").unwrap_or_else(|| "https://api.exa.ai".into()),
            timeout: Duration::from_secs(30),
        })
    });
    let fetch_on = match set("FETCH_WEBSITES").as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("true" | "1" | "yes" | "on") => true,
        Some("false" | "0" | "no" | "off") => false,
        Some(_) => {
            return Err(ConfigError::Invalid {
                name: "FETCH_WEBSITES",
                value: get("FETCH_WEBSITES").unwrap_or_default(),
                why: "expected true or false".into(),
            });
        }
    };
    let fetcher = fetch_on.then(|| {
        Ok::<_, ConfigError>(Fetcher::new(FetchConfig {
            connect_timeout: Duration::from_secs_f64(p("FETCH_CONNECT_TIMEOUT_SECS", 5.0)?.min(5.0)),
            total_timeout: Duration::from_secs_f64(p("FETCH_TIMEOUT_SECS", 10.0)?),
            ..FetchConfig::default()
        }))
    });
    let prices =
        PriceTable::parse(&set("PRICES").unwrap_or_else(|| DEFAULT_PRICES.into()), p("SEARCH_PRICE", 0.005)?)
            .map_err(|why| ConfigError::Invalid {
                name: "PRICES",
                value: get("PRICES").unwrap_or_default(),
                why,
            })?;
    let limit =
        |c: &'static str, c_default: f64, r: &'static str, r_default: f64| -> Result<Limit, ConfigError> {
            Ok(Limit { concurrency: p(c, c_default)? as u32, rps: p(r, r_default)? })
        };
    Ok(Providers {
        llm,
        exa,
        fetcher: fetcher.transpose()?,
        limits: Limits {
            llm: limit("LLM_CONCURRENCY", 8.0, "LLM_RPS", 0.0)?,
            search: limit("SEARCH_CONCURRENCY", 4.0, "SEARCH_RPS", 5.0)?,
            fetch: limit("FETCH_CONCURRENCY", 8.0, "FETCH_RPS", 0.0)?,
        },
        prices,
        cache_ttl: Duration::from_secs_f64(p("PROVIDER_CACHE_DAYS", 7.0)? * 24.0 * 3600.0),
    })
}

pub fn from_env() -> Result<Config, ConfigError> {
    from_lookup(|name| std::env::var(name).ok())
}

/// `name:campaigns_per_month:companies_per_campaign`, comma-separated.
fn parse_plans(spec: &str) -> Result<Vec<Plan>, ConfigError> {
    let bad = |why: &str| ConfigError::Invalid { name: "PLANS", value: spec.into(), why: why.into() };
    let plans = spec
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let parts: Vec<&str> = p.trim().split(':').collect();
            match parts.as_slice() {
                [name, c, n] if !name.is_empty() => Ok(Plan {
                    name: name.to_string(),
                    campaigns_per_month: c.parse().map_err(|_| bad("campaigns per month is not a number"))?,
                    companies_per_campaign: n
                        .parse()
                        .map_err(|_| bad("companies per campaign is not a number"))?,
                }),
                _ => Err(bad("expected name:campaigns_per_month:companies_per_campaign")),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if plans.is_empty() {
        return Err(bad("no plans"));
    }
    Ok(plans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = cfg(&[("DATABASE_URL", "postgres://x/y")]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(c.settings.site_url, "http://127.0.0.1:3000");
        assert!(!c.settings.cookie_secure);
        assert_eq!(c.settings.session_idle.as_secs(), 14 * 24 * 3600);
        assert_eq!(c.settings.plan("free").campaigns_per_month, 3);
        assert_eq!(c.settings.plan("free").companies_per_campaign, 1000);
        assert_eq!(c.settings.plan("pro").companies_per_campaign, 50_000);
        assert_eq!(c.purge_after_days, 30);
        assert_eq!((c.settings.signup_max_per_address, c.settings.signup_window.as_secs()), (10, 3600));
        assert!(!c.demo_allow_public);
        let c = cfg(&[
            ("DATABASE_URL", "x"),
            ("SIGNUP_MAX_PER_ADDRESS", "0"),
            ("SIGNUP_THROTTLE_WINDOW_SECS", "60"),
            ("DEMO_ALLOW_PUBLIC", "true"),
        ])
        .unwrap();
        assert_eq!((c.settings.signup_max_per_address, c.settings.signup_window.as_secs()), (0, 60));
        assert!(c.demo_allow_public);
        let p = &c.workers.providers;
        assert!(p.llm.is_none() && p.exa.is_none(), "no keys: the built-in analyzer");
        assert!(p.fetcher.is_some(), "fetching is on by default");
        assert_eq!(p.cache_ttl.as_secs(), 7 * 24 * 3600);
        assert_eq!(p.limits.search.rps, 5.0);
    }

    #[test]
    fn providers_from_environment() {
        let c = cfg(&[
            ("DATABASE_URL", "x"),
            ("OPENAI_API_KEY", "sk-secret-123"),
            ("OPENAI_MODEL", "gpt-4.1-mini"),
            ("EXA_API_KEY", "exa-secret-456"),
            ("FETCH_WEBSITES", "false"),
            ("LLM_CONCURRENCY", "32"),
        ])
        .unwrap();
        let p = &c.workers.providers;
        assert_eq!(p.llm.as_ref().unwrap().model(), "gpt-4.1-mini");
        assert!(p.exa.is_some() && p.fetcher.is_none());
        assert_eq!(p.limits.llm.concurrency, 32);
        assert_eq!(p.label(), "LLM gpt-4.1-mini, Exa search, no website fetching");
        let shown = format!("{c:?}");
        assert!(!shown.contains("sk-secret-123") && !shown.contains("exa-secret-456"), "{shown}");
        // An Ollama-style server needs only a base URL.
        let c = cfg(&[("DATABASE_URL", "x"), ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")]).unwrap();
        assert!(c.workers.providers.llm.is_some());
        let e = cfg(&[("DATABASE_URL", "x"), ("FETCH_WEBSITES", "maybe")]).unwrap_err();
        assert!(e.to_string().contains("FETCH_WEBSITES"), "{e}");
        let e = cfg(&[("DATABASE_URL", "x"), ("PRICES", "gpt-4o:free")]).unwrap_err();
        assert!(e.to_string().contains("PRICES"), "{e}");
    }

    #[test]
    fn https_site_makes_cookies_secure_and_secrets_stay_hidden() {
        let c = cfg(&[("DATABASE_URL", "postgres://u:hunter2@h/d"), ("SITE_URL", "https://leads.example/")])
            .unwrap();
        assert!(c.settings.cookie_secure);
        assert_eq!(c.settings.site_url, "https://leads.example");
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn llm_base_url_credentials_stay_out_of_debug_output() {
        let cfg = LlmConfig {
            base_url: "https://proxy-user:hunter2@llm.example:8443/v1".into(),
            ..LlmConfig::new("sk-secret-123")
        };
        let shown = format!("{cfg:?}");
        assert!(shown.contains(r#"base_url: "https://llm.example:8443/v1""#), "{shown}");
        assert!(!shown.contains("hunter2") && !shown.contains("proxy-user"), "{shown}");
        assert!(!shown.contains("sk-secret-123"), "{shown}");
        let plain = format!("{:?}", LlmConfig::new("k"));
        assert!(plain.contains(r#"base_url: "https://api.openai.com/v1""#), "{plain}");
    }

    #[test]
    fn errors_name_the_variable() {
        assert!(matches!(cfg(&[]), Err(ConfigError::Missing("DATABASE_URL", _))));
        let e = cfg(&[("DATABASE_URL", "x"), ("PLANS", "free:three:200")]).unwrap_err();
        assert!(e.to_string().starts_with("PLANS has an invalid value"), "{e}");
        let e = cfg(&[("DATABASE_URL", "x"), ("SESSION_IDLE_DAYS", "soon")]).unwrap_err();
        assert!(e.to_string().contains("SESSION_IDLE_DAYS"), "{e}");
        let e = cfg(&[("DATABASE_URL", "x"), ("PIPELINE_LEASE_SECS", "0")]).unwrap_err();
        assert!(e.to_string().contains("at least 1 second"), "{e}");
    }
}
