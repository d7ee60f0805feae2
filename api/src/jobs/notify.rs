//! The notification job: a reader of the event log by cursor (`docs/EVENTS.md`, "Readers"). Each run
//! reads the events committed since its cursor, asks the domain who each one concerns
//! ([`ocf_domain::follow::audience`]), and writes their notifications together with the new cursor in
//! one transaction. So a proposal with 50,000 followers costs the request that changed it one event row;
//! the 50,000 notifications are one `INSERT ... SELECT` here. A restart resumes at the stored cursor: a
//! batch is written with its cursor or not at all, and `(user_id, event_seq)` is unique, so nothing is
//! lost or doubled. Several instances may run it: the cursor's row lets one of them write each batch.

use std::time::Duration;

use actix_web::web;
use ocf_domain::clock;
use ocf_domain::event::{EventReader, LogReaders};
use ocf_domain::follow::{NOTIFY_READER, Notifications, audience};

use super::{Job, RunOutcome};
use crate::state::AppState;

/// How often the job looks for new events.
pub const PERIOD: Duration = Duration::from_millis(250);
/// Events read per batch (one transaction each).
const BATCH: i64 = 500;
/// Batches per run at most, so one run stays bounded; the next run goes on.
const MAX_BATCHES: usize = 40;

pub fn job(state: web::Data<AppState>) -> Job {
    Job::blocking("notify", PERIOD, move || run(&state))
}

/// One run: every batch committed since the cursor, up to [`MAX_BATCHES`].
///
/// # Errors
/// A storage failure (the batch is retried by the next run).
pub fn run(state: &AppState) -> RunOutcome {
    let db = &state.db;
    let fail = |e: ocf_domain::RepoError| e.to_string();
    let mut cursor = match db.reader_cursor(NOTIFY_READER).map_err(fail)? {
        Some(c) => c,
        None => {
            // A new reader starts at the end of the log: history notifies nobody.
            let head = db.log_head().map_err(fail)?;
            db.start_reader(NOTIFY_READER, head, clock::now())
                .map_err(fail)?;
            return Ok(None);
        }
    };
    let (mut events, mut written) = (0usize, 0i64);
    for _ in 0..MAX_BATCHES {
        let batch = db.log_after(cursor, BATCH).map_err(fail)?;
        let Some((last, _)) = batch.last() else {
            break;
        };
        let to = *last;
        let deliveries: Vec<_> = batch
            .iter()
            .filter_map(|(_, e)| audience(&e.event).map(|d| (e.position, &e.event, d)))
            .collect();
        // `None`: another instance wrote this batch; read on from where it left the cursor.
        if let Some(n) = db
            .fan_out(&deliveries, cursor, to, clock::now())
            .map_err(fail)?
        {
            written += n;
        }
        events += batch.len();
        cursor = db.reader_cursor(NOTIFY_READER).map_err(fail)?.unwrap_or(to);
        if batch.len() < BATCH as usize {
            break;
        }
    }
    Ok((written > 0).then(|| format!("{written} notifications from {events} events")))
}
