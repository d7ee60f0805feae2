//! The referred proposals the Open311 view shows: each proposal with its latest referral.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::RepoError;
use ocf_domain::open311::{ReferralState, RequestFilter, ServiceRequest, ServiceRequests};

use crate::db::{Database, DbConnection};
use crate::error::TxError;
use crate::referral::{date, id, parsed};
use crate::schema::{proposals, referrals};
use crate::time::{from_db, to_db};

type Row = (
    (
        String,
        String,
        String,
        String,
        Option<String>,
        NaiveDateTime,
        NaiveDateTime,
    ),
    (
        String,
        String,
        String,
        NaiveDateTime,
        Option<String>,
        Option<String>,
        NaiveDateTime,
    ),
);

fn requests(conn: &mut DbConnection, f: &RequestFilter) -> Result<Vec<ServiceRequest>, TxError> {
    let mut q = referrals::table
        .inner_join(proposals::table.on(proposals::id.eq(referrals::subject_id)))
        .filter(referrals::subject_kind.eq("proposal"))
        .filter(proposals::hidden.eq(false))
        .into_boxed();
    if !f.ids.is_empty() {
        let ids: Vec<String> = f.ids.iter().map(ToString::to_string).collect();
        q = q.filter(proposals::id.eq_any(ids));
    }
    if let Some(a) = f.policy_area_id {
        q = q.filter(proposals::policy_area_id.eq(a.to_string()));
    }
    if let Some(start) = f.start {
        q = q.filter(proposals::created_at.ge(to_db(start)));
    }
    if let Some(end) = f.end {
        q = q.filter(proposals::created_at.le(to_db(end)));
    }
    let rows: Vec<Row> = q
        .order((
            proposals::created_at.desc(),
            proposals::id.asc(),
            referrals::seq.desc(),
        ))
        .select((
            (
                proposals::id,
                proposals::title,
                proposals::body,
                proposals::policy_area_id,
                proposals::region,
                proposals::created_at,
                proposals::updated_at,
            ),
            (
                referrals::number,
                referrals::status,
                referrals::organization_id,
                referrals::due_at,
                referrals::decision,
                referrals::expected_completion_on,
                referrals::updated_at,
            ),
        ))
        .load(conn)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ((pid, title, body, area, region, created, updated), r) in rows {
        // The latest referral of each proposal comes first.
        if !seen.insert(pid.clone()) {
            continue;
        }
        let (number, status, org, due, decision, expected, r_updated) = r;
        let req = ServiceRequest {
            proposal_id: id(&pid, "proposal id")?,
            title,
            body,
            policy_area_id: id(&area, "policy area")?,
            region: region.as_deref().map(|r| parsed(r, "region")).transpose()?,
            requested_at: from_db(created),
            proposal_updated_at: from_db(updated),
            referral: ReferralState {
                number,
                status: parsed(&status, "referral status")?,
                organization_id: id(&org, "organization")?,
                due_at: from_db(due),
                decision: decision
                    .as_deref()
                    .map(|d| parsed(d, "decision"))
                    .transpose()?,
                expected_completion_on: expected.as_deref().map(date).transpose()?,
                updated_at: from_db(r_updated),
            },
        };
        if f.status.is_none_or(|s| req.status() == s) {
            out.push(req);
        }
    }
    Ok(out)
}

impl ServiceRequests for Database {
    fn service_requests(&self, filter: &RequestFilter) -> Result<Vec<ServiceRequest>, RepoError> {
        self.read(|conn| requests(conn, filter))
    }
}
