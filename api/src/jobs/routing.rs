//! The routing job: learns the suggested competent organization (`ocf_domain::routing`) from the ledger,
//! off the request path. A reader of the event log by cursor, from the start of the log (history
//! teaches): each `referral.answered` of a proposal is a referral its organization kept (one transferred
//! away is answered by the next organization, so the first one learns nothing from it), and the
//! proposal's terms are counted for that organization, with the cursor, in one transaction.

use std::time::Duration;

use actix_web::web;
use ocf_domain::clock;
use ocf_domain::event::{AggregateKind, EventReader, EventType, LogCursor, LogReaders};
use ocf_domain::organization::OrganizationId;
use ocf_domain::ports::{ROUTING_READER, RoutingStore};
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::routing::document_terms;
use ocf_domain::{Id, RepoError};

use super::{Job, RunOutcome};
use crate::state::AppState;

/// How often the job looks for new answers.
pub const PERIOD: Duration = Duration::from_secs(2);
const BATCH: i64 = 500;
const MAX_BATCHES: usize = 20;

pub fn job(state: web::Data<AppState>) -> Job {
    Job::blocking("routing", PERIOD, move || run(&state))
}

/// The organization and terms of a kept referral, if `e` is the answer to a proposal's.
fn kept(
    state: &AppState,
    e: &ocf_domain::event::Event,
) -> Result<Option<(OrganizationId, Vec<String>)>, RepoError> {
    if e.event_type != EventType::ReferralAnswered {
        return Ok(None);
    }
    let (Some((AggregateKind::Proposal, proposal)), Some(org)) = (&e.about, &e.payload.related_id)
    else {
        return Ok(None);
    };
    let (Ok(proposal), Ok(org)) = (Id::parse(proposal), Id::parse(org)) else {
        return Ok(None);
    };
    Ok(state.db.proposal(proposal)?.map(|p| {
        let tags: Vec<String> = p.tags().iter().map(|t| t.as_str().to_owned()).collect();
        (
            org,
            document_terms(p.title().as_str(), p.body().as_str(), &tags),
        )
    }))
}

/// One run: every batch since the cursor, up to [`MAX_BATCHES`].
///
/// # Errors
/// A storage failure (the batch is retried by the next run).
pub fn run(state: &AppState) -> RunOutcome {
    let db = &state.db;
    let fail = |e: RepoError| e.to_string();
    let mut cursor = match db.reader_cursor(ROUTING_READER).map_err(fail)? {
        Some(c) => c,
        None => {
            db.start_reader(ROUTING_READER, LogCursor::default(), clock::now())
                .map_err(fail)?;
            LogCursor::default()
        }
    };
    let mut learned = 0;
    for _ in 0..MAX_BATCHES {
        let batch = db.log_after(cursor, BATCH).map_err(fail)?;
        let Some(to) = batch.last().map(|(c, _)| *c) else {
            break;
        };
        let mut docs = Vec::new();
        for (_, e) in &batch {
            if let Some(k) = kept(state, &e.event).map_err(fail)? {
                docs.push(k);
            }
        }
        if let Some(n) = db.learn(&docs, cursor, to, clock::now()).map_err(fail)? {
            learned += n;
        }
        cursor = db
            .reader_cursor(ROUTING_READER)
            .map_err(fail)?
            .unwrap_or(to);
        if batch.len() < BATCH as usize {
            break;
        }
    }
    Ok((learned > 0).then(|| format!("learned {learned} kept referrals")))
}
