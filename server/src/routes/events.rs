//! `GET /api/campaigns/{id}/events?since=N`: the campaign's events as Server-Sent
//! Events. Replays `id > since` from the database, then streams live; each message's
//! `id:` is the event id, so a browser reconnect (`Last-Event-ID`) resumes exactly.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::Stream;
use serde::Deserialize;
use uuid::Uuid;

use app::server::events;

use super::access;
use crate::AppState;

#[derive(Deserialize)]
pub struct Since {
    since: Option<i64>,
}

pub async fn campaign_events(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(q): Query<Since>,
    headers: HeaderMap,
) -> Response {
    let auth = match access::signed_in(&state, &headers).await {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    if let Err(resp) = access::own_campaign(&state, auth.user.id, id).await {
        return resp;
    }
    // A reconnecting EventSource sends the last id it saw; it wins over the query.
    let since = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .or(q.since)
        .unwrap_or(0);
    let stream = stream(state, auth.token_hash, auth.user.id, id, since);
    let mut resp =
        Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-transform"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    resp
}

fn stream(
    state: AppState,
    token_hash: Vec<u8>,
    owner: Uuid,
    campaign: Uuid,
    mut since: i64,
) -> impl Stream<Item = Result<Event, Infallible>> {
    async_stream(move |tx| async move {
        let mut rx = state.hub.events.subscribe();
        loop {
            // Everything after `since`, in order, from the database (the source of truth).
            match events::after(&state.pool, owner, campaign, since, 500).await {
                Ok(batch) => {
                    let full = batch.len() == 500;
                    for (id, ev) in batch {
                        since = id;
                        let data = serde_json::to_string(&ev).unwrap_or_default();
                        if tx.send(Event::default().id(id.to_string()).data(data)).await.is_err() {
                            return;
                        }
                    }
                    if full {
                        continue;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "event replay failed");
                }
            }
            // Wait for a notification about this campaign (or re-check now and then).
            let wait = async {
                loop {
                    match rx.recv().await {
                        Ok((c, id)) if c == campaign && id > since => return,
                        Ok(_) => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => return,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                            std::future::pending::<()>().await
                        }
                    }
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(5), wait).await;
            if tx.is_closed() || !still_allowed(&state, &token_hash, owner, campaign).await {
                return; // signed out, session ended, or campaign deleted: stop streaming
            }
        }
    })
}

/// The session behind the stream still exists and the campaign is still the owner's
/// and not deleted (checked between batches).
async fn still_allowed(state: &AppState, token_hash: &[u8], owner: Uuid, campaign: Uuid) -> bool {
    let idle = state.settings.session_idle.as_secs_f64();
    let found: Result<Option<i32>, _> = sqlx::query_scalar(
        "SELECT 1 FROM sessions s
           JOIN campaigns c ON c.owner_id = s.owner_id AND c.id = $4 AND c.deleted_at IS NULL
          WHERE s.token_hash = $1 AND s.owner_id = $2
            AND s.last_seen > now() - make_interval(secs => $3)",
    )
    .bind(token_hash)
    .bind(owner)
    .bind(idle)
    .bind(campaign)
    .fetch_optional(&state.pool)
    .await;
    matches!(found, Ok(Some(_)))
}

/// A stream fed by a task through a small channel (ends when the task ends).
fn async_stream<F, Fut>(f: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::spawn(f(tx));
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) })
}
