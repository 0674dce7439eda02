//! `cellstack demo`: a demo account with a finished campaign over the S&P 500, so a
//! visitor sees a full dashboard at once (`scripts/run --demo`). It goes through the same
//! domain code as the web app (sign-up, profile, campaign, import, start, the pipeline)
//! with the built-in analyzer and no website fetching. Run again, it leaves an existing
//! demo account as it is.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::import::{self, Limits};
use app::model::{CampaignInput, ProfileInput};
use app::research::Persona;
use app::server::{Ctx, Settings, campaigns, companies, profiles, runs, users};
use sqlx::PgPool;
use uuid::Uuid;

use crate::pipeline::{self, Hub, WorkerConfig};
use crate::providers::Providers;
use crate::{config, db};

pub const EMAIL: &str = "demo@cellstack.local";
pub const PASSWORD: &str = "cellstack-demo";
const SP500: &[u8] = include_bytes!("../demo/sp500-constituents.csv");

pub async fn run() -> ExitCode {
    let sign_in = format!("sign in as {EMAIL} with the password {PASSWORD}");
    match connect().await {
        Err(e) => eprintln!("demo: {e}"),
        Ok((pool, settings)) => match seed(&pool, settings).await {
            Ok(Some(_)) => {
                println!("demo: a finished campaign is ready; {sign_in}");
                return ExitCode::SUCCESS;
            }
            Ok(None) => {
                println!("demo: the demo account is there already; {sign_in}");
                return ExitCode::SUCCESS;
            }
            Err(e) => eprintln!("demo: {e}"),
        },
    }
    ExitCode::FAILURE
}

async fn connect() -> Result<(PgPool, Settings), String> {
    let config = config::from_env().map_err(|e| format!("configuration error: {e}"))?;
    if !config.demo_allow_public {
        only_on_this_machine(&config.settings.site_url, config.bind)?;
    }
    let pool = db::connect(&config.database_url.0, config.db_max_connections)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    db::migrate(&pool).await.map_err(|e| format!("database migration failed: {e}"))?;
    Ok((pool, config.settings))
}

/// The demo account's password is published (README), and it gets the largest plan:
/// only seed it where nobody else can sign in with it — a loopback site and listener.
pub fn only_on_this_machine(site_url: &str, bind: std::net::SocketAddr) -> Result<(), String> {
    let loopback_site = match url::Url::parse(site_url).ok().and_then(|u| u.host().map(|h| h.to_owned())) {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let what = if !loopback_site {
        format!("SITE_URL {site_url} is not a loopback address")
    } else if !bind.ip().is_loopback() {
        format!("CELLSTACK_ADDR {bind} is reachable from other machines")
    } else {
        return Ok(());
    };
    Err(format!(
        "refusing to create the demo account (its password is public): {what}; \
         set DEMO_ALLOW_PUBLIC=true to create it anyway"
    ))
}

/// Creates the demo account and runs its campaign to the end. `None` when the account
/// exists already (nothing is changed then); else the campaign's id.
pub async fn seed(pool: &PgPool, settings: Settings) -> Result<Option<Uuid>, String> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)")
        .bind(EMAIL)
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    if exists {
        return Ok(None);
    }
    let ctx = Ctx { pool: pool.clone(), settings: Arc::new(settings) };
    let e = |e: app::error::AppError| e.to_string();
    let (mut user, _session) = users::signup(&ctx, EMAIL, PASSWORD, None).await.map_err(e)?;
    // The largest configured plan, so the whole list fits whatever the default plan is.
    if let Some(plan) = ctx.settings.plans.iter().max_by_key(|p| p.companies_per_campaign) {
        sqlx::query("UPDATE users SET plan = $2 WHERE id = $1")
            .bind(user.id)
            .bind(&plan.name)
            .execute(pool)
            .await
            .map_err(|e| e.to_string())?;
        user.plan.clone_from(&plan.name);
    }
    let profile = profiles::save(&ctx, user.id, None, &profile()).await.map_err(e)?;
    let campaign = campaigns::create(&ctx, user.id, &campaign(profile)).await.map_err(e)?;
    let parsed = import::parse(SP500, &Limits::default()).map_err(|e| e.to_string())?;
    let outcome = import::build(&parsed, &parsed.mapping).map_err(|e| e.to_string())?;
    let notes = companies::outcome_notes(&outcome);
    let report = companies::add(&ctx, user.id, &user.plan, campaign, &outcome, notes).await.map_err(e)?;
    runs::start(&ctx, user.id, campaign).await.map_err(e)?;
    tracing::info!(companies = report.added, "demo: researching the S&P 500 with the built-in analyzer");
    finish(pool, campaign).await?;
    Ok(Some(campaign))
}

/// Runs a private worker pool until the campaign is done.
async fn finish(pool: &PgPool, campaign: Uuid) -> Result<(), String> {
    let workers = WorkerConfig {
        workers: 4,
        poll: Duration::from_millis(100),
        providers: Arc::new(Providers::default()),
        ..WorkerConfig::default()
    };
    let handles = pipeline::spawn_workers(pool.clone(), Hub::new(), workers);
    let deadline = Instant::now() + Duration::from_secs(600);
    let result = loop {
        let status: String = match sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1")
            .bind(campaign)
            .fetch_one(pool)
            .await
        {
            Ok(s) => s,
            Err(e) => break Err(e.to_string()),
        };
        if status != "running" {
            break Ok(());
        }
        if Instant::now() > deadline {
            break Err("the demo campaign did not finish within 10 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    handles.into_iter().for_each(|h| h.abort());
    result
}

fn profile() -> ProfileInput {
    ProfileInput {
        name: "Northwind Analytics".into(),
        website: "northwind-analytics.example".into(),
        product: "Supply-chain forecasting for manufacturers and distributors: demand plans from ERP \
                  data, weekly, without a data team."
            .into(),
        audience: "Operations and supply-chain leaders at large industrial and consumer-goods companies"
            .into(),
        samples: vec![
            "Hi Dana,\n\nYour Q3 call mentioned inventory write-downs. We help planners see demand \
             shifts six weeks earlier.\n\nWorth 20 minutes?\n\nBest,\nSam"
                .into(),
            "Hi Lee,\n\nQuick one: would a weekly forecast straight from your ERP help the S&OP \
             meeting?\n\nBest,\nSam"
                .into(),
        ],
    }
}

fn campaign(profile: Uuid) -> CampaignInput {
    CampaignInput {
        name: "S&P 500 manufacturers (demo)".into(),
        // Worded as the file's GICS sectors, so the built-in analyzer's rubric can check it.
        icp: "US-based industrials, staples or materials companies".into(),
        personas: vec![Persona {
            title: "VP Supply Chain".into(),
            description: "Owns demand planning and inventory".into(),
        }],
        funding_months: None,
        hiring_roles: vec!["demand planner".into()],
        tools: vec!["SAP".into()],
        profile_id: Some(profile),
        budget_cents: None,
    }
}

#[cfg(test)]
mod tests {
    use super::only_on_this_machine;

    #[test]
    fn the_demo_is_seeded_only_for_loopback_sites() {
        let local: std::net::SocketAddr = "127.0.0.1:3000".parse().unwrap();
        for site in
            ["http://127.0.0.1:3000", "http://localhost:3000", "http://LOCALHOST", "http://[::1]:3000"]
        {
            assert_eq!(only_on_this_machine(site, local), Ok(()), "{site}");
        }
        let e = only_on_this_machine("https://leads.example.com", local).unwrap_err();
        assert_eq!(
            e,
            "refusing to create the demo account (its password is public): SITE_URL \
             https://leads.example.com is not a loopback address; set DEMO_ALLOW_PUBLIC=true to create \
             it anyway"
        );
        for site in
            ["http://0.0.0.0:3000", "http://10.1.2.3", "http://localhost.evil.example", "http://[::]:3000"]
        {
            assert!(only_on_this_machine(site, local).is_err(), "{site}");
        }
        let open: std::net::SocketAddr = "0.0.0.0:3000".parse().unwrap();
        let e = only_on_this_machine("http://localhost:3000", open).unwrap_err();
        assert!(e.contains("CELLSTACK_ADDR 0.0.0.0:3000 is reachable from other machines"), "{e}");
    }
}
