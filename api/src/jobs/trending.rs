//! Refreshes the trending scores of proposals (supports) and topics (votes) gained in the trending window
//! (`ocf_domain::proposal::TRENDING_WINDOW`) every five minutes.

use std::time::Duration;

use actix_web::web;
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::proposal::trending_since;
use ocf_domain::topic::query::TopicQueries;

use super::Job;
use crate::state::AppState;

pub const PERIOD: Duration = Duration::from_secs(300);

pub fn job(state: web::Data<AppState>) -> Job {
    Job::blocking("trending", PERIOD, move || {
        let since = trending_since(ocf_domain::clock::now());
        let refreshed = state
            .db
            .refresh_trending(since)
            .and_then(|p| Ok(p + state.db.refresh_topic_trending(since)?));
        match refreshed {
            Ok(0) => Ok(None),
            Ok(n) => Ok(Some(format!("refreshed {n} score(s)"))),
            Err(e) => Err(e.to_string()),
        }
    })
}
