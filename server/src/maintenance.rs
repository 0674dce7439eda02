//! Periodic clean-up run by every instance (each statement is idempotent, so several
//! instances running it at once is harmless).

use std::time::Duration;

use app::server::{Ctx, session, throttle};

pub async fn run_once(ctx: &Ctx) {
    match session::purge_idle(&ctx.pool, &ctx.settings).await {
        Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "session clean-up failed"),
    }
    if let Err(e) = throttle::purge_old(&ctx.pool, &ctx.settings).await {
        tracing::warn!(error = %e, "sign-in throttle clean-up failed");
    }
}

pub fn spawn(ctx: Ctx, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            run_once(&ctx).await;
        }
    })
}
