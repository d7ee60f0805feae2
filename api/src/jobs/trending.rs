//! Refreshes the proposals' trending scores (supports in the last seven days) every five minutes.

use std::time::Duration;

use actix_web::web;
use ocf_domain::ports::ProposalRepository;

use super::Job;
use crate::state::AppState;

pub const PERIOD: Duration = Duration::from_secs(300);

pub fn job(state: web::Data<AppState>) -> Job {
    Job::blocking("trending", PERIOD, move || {
        match state.db.refresh_trending(ocf_domain::clock::now()) {
            Ok(0) => Ok(None),
            Ok(n) => Ok(Some(format!("refreshed {n} score(s)"))),
            Err(e) => Err(e.to_string()),
        }
    })
}
