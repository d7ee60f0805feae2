//! The intake-similar job, a reader of the event log: each proposal a partner channel brings in
//! (`proposal.submitted` on a `partner:<code>` channel) goes through the similar check, and the existing
//! proposals near it (score at least 0.5) are flagged for staff to link or merge (`GET /intake-flags`).
//! Off the request path, so a 100,000-line import stays fast; the flags follow within seconds to minutes.

use std::time::Duration;

use actix_web::web;
use ocf_domain::clock;
use ocf_domain::event::{EventReader, EventType, LogReaders};
use ocf_domain::partner::{FLAG_SCORE, INTAKE_SIMILAR_READER, IntakeFlags};
use ocf_domain::proposal::Channel;
use ocf_domain::proposal::query::ProposalQueries;

use super::{Job, RunOutcome};
use crate::state::AppState;

/// How often the job looks for new intakes.
pub const PERIOD: Duration = Duration::from_secs(1);
/// Events read per run: the similar check costs a few milliseconds per intake.
const BATCH: i64 = 200;
/// Look-alikes flagged per intake at most.
const MAX_FLAGS: usize = 3;

pub fn job(state: web::Data<AppState>) -> Job {
    Job::blocking("intake-similar", PERIOD, move || run(&state))
}

/// One run: the next batch of events.
///
/// # Errors
/// A storage failure (the next run retries the batch).
pub fn run(state: &AppState) -> RunOutcome {
    let db = &state.db;
    let fail = |e: ocf_domain::RepoError| e.to_string();
    let Some(cursor) = db.reader_cursor(INTAKE_SIMILAR_READER).map_err(fail)? else {
        let head = db.log_head().map_err(fail)?;
        db.start_reader(INTAKE_SIMILAR_READER, head, clock::now())
            .map_err(fail)?;
        return Ok(None);
    };
    let batch = db.log_after(cursor, BATCH).map_err(fail)?;
    let Some((to, _)) = batch.last() else {
        return Ok(None);
    };
    let to = *to;
    let mut flags = Vec::new();
    for (_, logged) in &batch {
        if logged.event.event_type != EventType::ProposalSubmitted {
            continue;
        }
        let Ok(id) = ocf_domain::Id::parse(&logged.event.aggregate_id) else {
            continue;
        };
        let Some(p) = db.proposal(id).map_err(fail)? else {
            continue;
        };
        if !matches!(p.channel(), Channel::Partner(_)) {
            continue;
        }
        let alike =
            crate::routes::proposal::look_alikes(state, p.title().as_str(), p.body().as_str())
                .map_err(|e| e.to_string())?;
        flags.extend(
            alike
                .into_iter()
                .filter(|(score, c)| *score >= FLAG_SCORE && c.id != id)
                .take(MAX_FLAGS)
                .map(|(score, c)| (id, c.id, score)),
        );
    }
    let n = flags.len();
    db.record_flags(&flags, cursor, to, clock::now())
        .map_err(fail)?;
    Ok((n > 0).then(|| format!("{n} look-alike intakes flagged")))
}
