//! One LISTEN connection per server instance. Every notification is fanned out to the
//! SSE streams of this instance (broadcast) and wakes idle workers. If the listener
//! dies it is restarted; workers also poll, so a silent listener never stalls work.

use std::sync::Arc;
use std::time::Duration;

use app::server::events::CHANNEL;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

#[derive(Clone)]
pub struct Hub {
    pub events: broadcast::Sender<(Uuid, i64)>,
    pub wake: Arc<Notify>,
}

impl Hub {
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(4096);
        Hub { events, wake: Arc::new(Notify::new()) }
    }
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

pub fn spawn(pool: PgPool, hub: Hub) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = listen(&pool, &hub).await {
                tracing::warn!(error = %e, "event listener stopped; restarting");
            }
            // Streams re-read from the database after a gap, so nothing is lost.
            hub.wake.notify_waiters();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

async fn listen(pool: &PgPool, hub: &Hub) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let n = listener.recv().await?;
        if let Some((campaign, id)) = n.payload().split_once(':')
            && let (Ok(campaign), Ok(id)) = (campaign.parse::<Uuid>(), id.parse::<i64>())
        {
            let _ = hub.events.send((campaign, id));
        }
        hub.wake.notify_waiters();
    }
}
