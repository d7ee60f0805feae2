//! The funnel job, a reader of the event log: for the proposals each batch of events names (their own
//! events, and their referrals' events), it computes their journey afresh and stores it in the funnel's
//! projection, moving its cursor in the same transaction. `GET /stats/funnel` reads the projection and
//! adds what the log changed after the cursor, so the answer never waits for this job.

use std::time::Duration;

use actix_web::web;
use ocf_domain::clock;
use ocf_domain::event::{AggregateKind, EventReader, LogCursor, LogReaders};
use ocf_domain::stats::{FUNNEL_READER, FunnelProjection};

use super::{Job, RunOutcome};
use crate::state::AppState;

/// How often the job looks for new events.
pub const PERIOD: Duration = Duration::from_millis(500);
/// Events read per batch.
const BATCH: i64 = 5_000;
/// Batches per run at most, while the log has more (a first run over the history takes many runs).
const MAX_BATCHES: usize = 20;

pub fn job(state: web::Data<AppState>) -> Job {
    Job::blocking("funnel", PERIOD, move || run(&state))
}

/// One run: batches of events until the log has no more or `MAX_BATCHES` were done.
///
/// # Errors
/// A storage failure (the next run retries the batch).
pub fn run(state: &AppState) -> RunOutcome {
    let db = &state.db;
    let fail = |e: ocf_domain::RepoError| e.to_string();
    let mut cursor = match db.reader_cursor(FUNNEL_READER).map_err(fail)? {
        Some(c) => c,
        None => {
            // The migration places the reader at the beginning; a missing row starts it there too.
            db.start_reader(FUNNEL_READER, LogCursor::default(), clock::now())
                .map_err(fail)?;
            return Ok(None);
        }
    };
    let mut read = 0;
    for _ in 0..MAX_BATCHES {
        let batch = db.log_after(cursor, BATCH).map_err(fail)?;
        let Some((to, _)) = batch.last() else {
            break;
        };
        let to = *to;
        let mut proposals = Vec::new();
        let mut referrals = Vec::new();
        for (_, logged) in &batch {
            match logged.event.aggregate {
                AggregateKind::Proposal => proposals.push(logged.event.aggregate_id.clone()),
                AggregateKind::Referral => referrals.push(logged.event.aggregate_id.clone()),
                _ => {}
            }
        }
        if !db
            .project_journeys(cursor, to, &proposals, &referrals, clock::now())
            .map_err(fail)?
        {
            // Another instance did this batch.
            break;
        }
        read += batch.len();
        cursor = to;
        if i64::try_from(batch.len()).unwrap_or(BATCH) < BATCH {
            break;
        }
    }
    Ok((read >= 1000).then(|| format!("funnel: {read} events projected")))
}
