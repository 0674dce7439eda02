//! Periodic clean-up run by every instance (each statement is idempotent, so several
//! instances running it at once is harmless).

use std::time::Duration;

use app::server::{Ctx, campaigns, session, throttle};

pub async fn run_once(ctx: &Ctx, purge_after_days: u32, cache_ttl: Duration) {
    match campaigns::purge(ctx, time::OffsetDateTime::now_utc(), purge_after_days, 500).await {
        Ok(n) if n > 0 => tracing::info!(campaigns = n, "deleted campaigns purged"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "campaign purge failed"),
    }
    match session::purge_idle(&ctx.pool, &ctx.settings).await {
        Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "session clean-up failed"),
    }
    if let Err(e) = throttle::purge_old(&ctx.pool, &ctx.settings).await {
        tracing::warn!(error = %e, "sign-in throttle clean-up failed");
    }
    if let Err(e) = crate::providers::cache::purge(&ctx.pool, cache_ttl).await {
        tracing::warn!(error = %e, "provider cache clean-up failed");
    }
}

pub fn spawn(
    ctx: Ctx,
    every: Duration,
    purge_after_days: u32,
    cache_ttl: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            run_once(&ctx, purge_after_days, cache_ttl).await;
        }
    })
}
