//! The live streams' jobs, each under the supervisor: the dispatcher (reads each active forum's new events
//! from the log once and delivers them), the viewer census (every 5 s, through the database so the count
//! crosses instances) and, on PostgreSQL, the listener (one dedicated connection that `LISTEN`s and wakes
//! the dispatcher; after a drop it reconnects and the dispatcher catches up from each forum's cursor).

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use ocf_domain::event::EventReader;
use ocf_domain::forum::ForumId;
use ocf_persistence::{Database, Listener};

use super::{LiveHub, frames};
use crate::jobs::Job;
use crate::state::AppState;

/// Events read per forum per query.
const BATCH: i64 = 256;
/// How often the listener reads its socket, and how often it checks a quiet connection is still there.
const LISTEN_POLL: Duration = Duration::from_millis(5);
const LISTEN_CHECK: Duration = Duration::from_secs(2);
pub const CENSUS_PERIOD: Duration = Duration::from_secs(5);

pub fn jobs(state: &web::Data<AppState>) -> Vec<Job> {
    let mut jobs = vec![dispatcher(state.clone()), census(state.clone())];
    if state.db.backend() == ocf_persistence::Backend::Postgres {
        jobs.push(listener(state.clone()));
    }
    jobs
}

/// Delivers every active forum's events after its cursor, in batches.
///
/// # Errors
/// Storage failures (the next pass retries from the same cursors).
pub async fn pass(db: Arc<Database>, hub: Arc<LiveHub>) -> Result<usize, String> {
    let mut delivered = 0;
    let mut failed = None;
    for (forum, cursor) in hub.active() {
        // One forum's failure (a storage error, an event this build cannot read) must not hold back the
        // others: it is reported, and that forum is tried again on the next pass from the same cursor.
        match forum_pass(&db, &hub, forum, cursor).await {
            Ok(n) => delivered += n,
            Err(e) => failed = Some(format!("forum {forum}: {e}")),
        }
    }
    failed.map_or(Ok(delivered), Err)
}

async fn forum_pass(
    db: &Arc<Database>,
    hub: &LiveHub,
    forum: ForumId,
    cursor: i64,
) -> Result<usize, String> {
    let mut delivered = 0;
    let mut from = cursor;
    loop {
        let reader = db.clone();
        let (last, n, frames) = tokio::task::spawn_blocking(move || {
            let events = reader.forum_events(forum, from, BATCH)?;
            let frames = frames::build(&reader, &events)?;
            Ok::<_, ocf_domain::RepoError>((
                events.last().map(|e| e.position),
                events.len(),
                frames,
            ))
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        let Some(to) = last else { break };
        hub.deliver(forum, from, to, &frames);
        delivered += n;
        from = to;
        if (n as i64) < BATCH {
            break;
        }
    }
    Ok(delivered)
}

fn dispatcher(state: web::Data<AppState>) -> Job {
    // Each run waits for a wake (or the safety poll), then makes one pass; the next run follows at once.
    Job::new("live-dispatch", Duration::from_millis(1), move || {
        let (db, hub) = (state.db.clone(), state.live.clone());
        async move {
            tokio::select! {
                () = hub.woken() => {}
                () = tokio::time::sleep(hub.settings.safety_poll) => {}
            }
            // Passes at most once per batch window: what commits meanwhile goes out together, so each
            // viewer is woken (and written to) once per window rather than once per event.
            let since = hub.since_last_pass();
            if since < hub.settings.batch {
                tokio::time::sleep(hub.settings.batch - since).await;
            }
            if hub.closing() {
                return Ok(None);
            }
            hub.pass_started();
            pass(db, hub).await.map(|_| None)
        }
    })
}

fn census(state: web::Data<AppState>) -> Job {
    Job::blocking("live-viewers", CENSUS_PERIOD, move || {
        let hub = &state.live;
        let here = hub.census();
        let now = chrono::Utc::now();
        let fresh = now - chrono::Duration::seconds(3 * CENSUS_PERIOD.as_secs() as i64);
        let totals = state
            .db
            .report_viewers(&hub.instance, &here, now, fresh)
            .map_err(|e| e.to_string())?;
        for (forum, _) in here {
            hub.broadcast_viewers(forum, totals.get(&forum).copied().unwrap_or(0));
        }
        Ok(None)
    })
}

fn listener(state: web::Data<AppState>) -> Job {
    // A run holds one connection until it fails or the server stops; the supervisor runs it again a
    // second later, so a dropped connection is re-established and the dispatcher catches up by cursor.
    // It runs on the async side (reading the socket never blocks: libpq's sockets are non-blocking) so
    // that a runtime shutting down simply drops it.
    Job::new("live-listener", Duration::from_secs(1), move || {
        let hub = state.live.clone();
        let url = state.db.url().clone();
        async move {
            let name = hub.listener_name();
            let mut listener = tokio::task::spawn_blocking(move || Listener::connect(&url, &name))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?
                .ok_or("the listener needs PostgreSQL")?;
            hub.listener_connected();
            // Anything committed while no connection listened is read now.
            hub.wake();
            let mut since_check = Duration::ZERO;
            while !hub.closing() {
                let notified = listener
                    .drain()
                    .map_err(|e| format!("connection lost: {e}"))?;
                if !notified.is_empty() {
                    hub.wake();
                }
                tokio::time::sleep(LISTEN_POLL).await;
                since_check += LISTEN_POLL;
                if since_check >= LISTEN_CHECK {
                    // A quiet connection that died says so only when used.
                    listener =
                        tokio::task::spawn_blocking(move || listener.check().map(|()| listener))
                            .await
                            .map_err(|e| e.to_string())?
                            .map_err(|e| format!("connection lost: {e}"))?;
                    since_check = Duration::ZERO;
                }
            }
            Ok(None)
        }
    })
}
