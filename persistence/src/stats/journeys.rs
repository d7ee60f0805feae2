//! Proposals' journeys: the current state (submitted at, the first referral's steps) with the first
//! time the log saw each review step. The funnel reader stores them (`funnel.rs`); the annual report
//! reads them for the proposals it lists.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::event::EventType;
use ocf_domain::stats::Journey;

use crate::db::DbConnection;
use crate::error::TxError;
use crate::events::parse_payload;
use crate::referral::parsed;
use crate::schema::{events, referrals};
use crate::time::from_db;

/// Ids per `IN (...)` list.
pub(crate) const CHUNK: usize = 500;

fn earliest(slot: &mut Option<chrono::DateTime<chrono::Utc>>, at: chrono::DateTime<chrono::Utc>) {
    if slot.is_none_or(|t| at < t) {
        *slot = Some(at);
    }
}

/// The proposals referred to `org` at any step (sent there, or transferred there).
/// The journeys of the proposals `rows` names (id, submitted at), by id.
pub(crate) fn journeys_of(
    conn: &mut DbConnection,
    rows: Vec<(String, NaiveDateTime)>,
) -> Result<HashMap<String, Journey>, TxError> {
    let ids: Vec<String> = rows.iter().map(|(id, _)| id.clone()).collect();
    let mut by_id: HashMap<String, Journey> = rows
        .into_iter()
        .map(|(id, at)| {
            let j = Journey {
                collected_at: from_db(at),
                ..Journey::default()
            };
            (id, j)
        })
        .collect();
    let mut steps: Vec<(String, String, NaiveDateTime, String)> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        steps.extend(
            events::table
                .filter(events::aggregate_type.eq("proposal"))
                .filter(events::aggregate_id.eq_any(chunk))
                .filter(events::event_type.eq_any([
                    EventType::ProposalStatusChanged.as_str(),
                    EventType::ProposalMerged.as_str(),
                ]))
                .select((
                    events::aggregate_id,
                    events::event_type,
                    events::occurred_at,
                    events::payload,
                ))
                .load::<(String, String, NaiveDateTime, String)>(conn)?,
        );
    }
    for (pid, event_type, at, payload) in steps {
        let Some(j) = by_id.get_mut(&pid) else {
            continue;
        };
        let at = from_db(at);
        if event_type == EventType::ProposalMerged.as_str() {
            earliest(&mut j.merged_at, at);
            continue;
        }
        match parse_payload(&payload)?.to_status.as_deref() {
            Some("under_review") => earliest(&mut j.reviewed_at, at),
            Some("selected") => {
                earliest(&mut j.reviewed_at, at);
                earliest(&mut j.selected_at, at);
            }
            Some("rejected") => {
                earliest(&mut j.reviewed_at, at);
                earliest(&mut j.rejected_at, at);
            }
            _ => {}
        }
    }
    type Referred = (
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
        Option<NaiveDateTime>,
    );
    let mut referred: Vec<Referred> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        referred.extend(
            referrals::table
                .filter(referrals::subject_kind.eq("proposal"))
                .filter(referrals::subject_id.eq_any(chunk))
                .select((
                    referrals::subject_id,
                    referrals::sent_at,
                    referrals::answered_at,
                    referrals::decision,
                    referrals::completed_at,
                ))
                .load::<Referred>(conn)?,
        );
    }
    referred.sort_by_key(|r| r.1);
    for (pid, sent, answered, decision, completed) in referred {
        let Some(j) = by_id.get_mut(&pid) else {
            continue;
        };
        if j.referred_at.is_some() {
            // The first referral is the proposal's journey; a later one follows a closed first.
            continue;
        }
        j.referred_at = Some(from_db(sent));
        earliest(&mut j.reviewed_at, from_db(sent));
        earliest(&mut j.selected_at, from_db(sent));
        j.answered_at = answered.map(from_db);
        j.decision = decision
            .as_deref()
            .map(|d| parsed(d, "decision"))
            .transpose()?;
        j.implemented_at = completed.map(from_db);
    }
    Ok(by_id)
}
