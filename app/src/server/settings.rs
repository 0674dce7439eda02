//! The part of the server's configuration the app layer needs. Built once at start-up
//! by the server binary (from its typed `Config`) and shared through context.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub name: String,
    pub campaigns_per_month: u32,
    pub companies_per_campaign: u32,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Public origin of the site, e.g. `http://127.0.0.1:3000` (no trailing slash).
    pub site_url: String,
    /// Adds `Secure` to the session cookie (set when the site is served over https).
    pub cookie_secure: bool,
    /// Sessions end after this long without a request.
    pub session_idle: Duration,
    /// Failed sign-ins counted over this window, per email and per client address.
    pub login_window: Duration,
    /// Failures in the window after which each attempt is slowed down.
    pub login_slow_after: u32,
    /// Failures in the window after which attempts are refused (429).
    pub login_max_failures: u32,
    /// Sign-ups counted over this window, per client address.
    pub signup_window: Duration,
    /// Sign-ups per client address in the window; more are refused (429). 0: no limit.
    pub signup_max_per_address: u32,
    pub plans: Vec<Plan>,
    pub default_plan: String,
    /// The configured research providers, for people.
    pub research_label: String,
    /// Expected cost per company with those providers, in millionths of a dollar.
    pub per_company_micros: i64,
    /// Revises outreach with the configured LLM; `None`: the built-in rewriter.
    pub reviser: super::reviser::ReviserSlot,
}

impl Settings {
    pub fn plan(&self, name: &str) -> &Plan {
        self.plans
            .iter()
            .find(|p| p.name == name)
            .or_else(|| self.plans.iter().find(|p| p.name == self.default_plan))
            .unwrap_or(&self.plans[0])
    }

    /// Settings for tests: loopback site, default plans.
    pub fn for_tests() -> Self {
        Settings {
            site_url: "http://127.0.0.1:3000".into(),
            cookie_secure: false,
            session_idle: Duration::from_secs(14 * 24 * 3600),
            login_window: Duration::from_secs(15 * 60),
            login_slow_after: 3,
            login_max_failures: 8,
            signup_window: Duration::from_secs(3600),
            signup_max_per_address: 10,
            plans: vec![
                Plan { name: "free".into(), campaigns_per_month: 3, companies_per_campaign: 200 },
                Plan { name: "pro".into(), campaigns_per_month: 50, companies_per_campaign: 50_000 },
            ],
            default_plan: "free".into(),
            research_label: "built-in analyzer".into(),
            per_company_micros: 0,
            reviser: Default::default(),
        }
    }
}
