//! The research pipeline: durable tasks in PostgreSQL worked by a pool of workers in
//! every server instance. See `queue` (claim/lease), `steps` (inputs, outputs and the
//! dispatch to `research`, `llm` + `prompt`, or `builtin`), `complete` (writing results
//! + events atomically), `listener` (LISTEN/NOTIFY).

pub mod builtin;
pub mod complete;
pub mod grounding;
pub mod listener;
pub mod llm;
pub mod prompt;
pub mod queue;
pub mod research;
pub mod steps;

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;

pub use listener::Hub;

use crate::providers::{ProviderError, Providers};
use complete::Retry;
use steps::StepError;

/// Worker settings (from configuration).
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub workers: usize,
    pub lease: Duration,
    /// How often idle workers look for work without a notification.
    pub poll: Duration,
    /// A pause inside each step while holding its lease (0 by default). Lets the crash
    /// test kill servers mid-step, and demos show rows arriving at a watchable pace.
    pub step_delay: Duration,
    /// What the steps call (the built-in analyzer alone by default).
    pub providers: Arc<Providers>,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            workers: 4,
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(1),
            step_delay: Duration::ZERO,
            providers: Arc::new(Providers::default()),
        }
    }
}

/// Starts `workers` loops; they stop when the returned handles are aborted.
pub fn spawn_workers(pool: PgPool, hub: Hub, config: WorkerConfig) -> Vec<tokio::task::JoinHandle<()>> {
    (0..config.workers)
        .map(|_| {
            let (pool, hub, config) = (pool.clone(), hub.clone(), config.clone());
            tokio::spawn(async move { worker(pool, hub, config).await })
        })
        .collect()
}

async fn worker(pool: PgPool, hub: Hub, config: WorkerConfig) {
    use futures::FutureExt;
    loop {
        // A panic in one step must not end this worker for the life of the process: the
        // task's lease then lapses and it is claimed again (counting an attempt), so a
        // row that always panics ends failed at max_attempts.
        let one = std::panic::AssertUnwindSafe(run_one(&pool, &config)).catch_unwind().await;
        let one = one.unwrap_or_else(|_| {
            tracing::error!("a pipeline step panicked; its task will be retried when its lease expires");
            Ok(true)
        });
        match one {
            Ok(true) => continue,
            Ok(false) => {
                if let Err(e) = complete::finish_idle_campaigns(&pool).await {
                    tracing::warn!(error = ?e, "idle campaign sweep failed");
                }
                tokio::select! {
                    _ = hub.wake.notified() => {},
                    _ = tokio::time::sleep(config.poll) => {},
                }
            }
            Err(e) => {
                tracing::warn!(error = ?e, "pipeline worker error");
                tokio::time::sleep(config.poll).await;
            }
        }
    }
}

/// Claims and runs one task. `Ok(false)` when there was nothing to do.
pub async fn run_one(pool: &PgPool, config: &WorkerConfig) -> Result<bool, StepError> {
    let Some(task) = queue::claim(pool, config.lease).await? else {
        return Ok(false);
    };
    if task.attempts > task.max_attempts {
        // A lease that expired on its last attempt: give up rather than loop forever.
        let (error, none) = ("gave up after repeated interruptions", &steps::Usage::builtin());
        complete::failed_attempt(pool, &task, error, Retry::Never, none).await?;
        return Ok(true);
    }
    // Provider calls can outlast a lease (timeouts, one-shot retries): keep it alive,
    // from the start (the optional step delay included). Stopped when dropped, so a
    // panicking step does not keep a dead task's lease alive forever.
    let beat = AbortOnDrop(tokio::spawn({
        let (pool, task, lease) = (pool.clone(), task.clone(), config.lease);
        async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                match queue::heartbeat(&pool, &task, lease).await {
                    Ok(true) => {}
                    // Lost: another worker has it; the completion will write nothing.
                    Ok(false) => break,
                    // A database hiccup: keep beating, the lease has time left.
                    Err(e) => {
                        tracing::warn!(task = task.id, error = %e, "lease heartbeat failed; trying again")
                    }
                }
            }
        }
    }));
    if !config.step_delay.is_zero() {
        tokio::time::sleep(config.step_delay).await;
    }
    let (result, usage) = match steps::load(pool, &task).await {
        Ok(inputs) => {
            let (output, usage) = steps::run(&config.providers, pool, &task, &inputs).await;
            (output.map(|out| (inputs, out)), usage)
        }
        Err(e) => (Err(e), steps::Usage::builtin()),
    };
    drop(beat);
    let outcome = match result {
        Ok((inputs, output)) => complete::apply(pool, &task, &inputs, output, &usage).await?,
        Err(StepError::Provider(e @ ProviderError::Permanent { .. })) => {
            tracing::warn!(task = task.id, step = %task.step, error = %e, "provider refused for good; pausing");
            complete::pause_for_provider(pool, &task, &e.to_string(), &usage).await?
        }
        Err(StepError::Provider(e @ ProviderError::RateLimited { retry_after, .. })) => {
            let wait = retry_after.unwrap_or_else(|| queue::backoff(task.deferrals + 1));
            tracing::info!(task = task.id, step = %task.step, wait = ?wait, "rate limited; the task waits");
            complete::come_back_later(pool, &task, wait, &e.to_string(), &usage).await?
        }
        Err(StepError::Provider(e @ ProviderError::Transient { retry_after: Some(after), .. })) => {
            tracing::info!(task = task.id, step = %task.step, after = ?after, "provider asked to retry later");
            complete::failed_attempt(pool, &task, &e.to_string(), Retry::After(after), &usage).await?
        }
        Err(StepError::Provider(e @ (ProviderError::TooLong { .. } | ProviderError::Rejected { .. }))) => {
            tracing::warn!(task = task.id, step = %task.step, error = %e, "request refused for this row; the row fails");
            complete::failed_attempt(pool, &task, &e.to_string(), Retry::Never, &usage).await?
        }
        Err(e) => {
            tracing::warn!(task = task.id, step = %task.step, error = ?e, "step failed");
            complete::failed_attempt(pool, &task, &e.to_string(), Retry::Backoff, &usage).await?
        }
    };
    if outcome == complete::Outcome::LeaseLost {
        tracing::warn!(task = task.id, "lease lost; result discarded");
    }
    Ok(true)
}

/// Aborts the task when dropped (also while unwinding).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
