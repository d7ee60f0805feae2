//! Each organization's record with the referrals it received: how fast and how it answered, what it
//! passed on, and what it committed to.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{days_between, percentiles};
use crate::organization::OrganizationId;
use crate::referral::{CommitmentStatus, Decision, ReferralStatus};

/// One stop of a referral: an organization it was sent (or transferred) to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopRow {
    pub organization_id: OrganizationId,
    pub sent_at: DateTime<Utc>,
}

/// One referral as the statistics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRow {
    /// In order; the last is where the referral is now.
    pub hops: Vec<HopRow>,
    pub status: ReferralStatus,
    /// The current answer deadline.
    pub due_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub decision: Option<Decision>,
    /// The organizations that acknowledged receipt, once per acknowledgement (from the log: a
    /// transfer clears the current state's acknowledgement).
    pub acknowledged_by: Vec<OrganizationId>,
    /// The commitments made at follow-ups: their status and due day.
    pub commitments: Vec<(CommitmentStatus, NaiveDate)>,
}

/// One organization's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationRecord {
    pub organization_id: Option<OrganizationId>,
    /// Referrals that arrived (sent or transferred in).
    pub received: u64,
    pub acknowledged: u64,
    pub answered_on_time: u64,
    pub answered_late: u64,
    /// Awaiting an answer past the deadline now.
    pub overdue_now: u64,
    /// Passed on to another organization.
    pub transferred_away: u64,
    /// Days from arrival at this organization to its answer.
    pub median_days_to_answer: Option<f64>,
    pub p90_days_to_answer: Option<f64>,
    pub decisions: Vec<(Decision, u64)>,
    /// Planned or in progress.
    pub open_commitments: u64,
    /// Open and past their day.
    pub overdue_commitments: u64,
}

#[derive(Default)]
struct Acc {
    rec: OrganizationRecord,
    days: Vec<f64>,
    decisions: BTreeMap<&'static str, u64>,
}

/// The record of every organization that received a referral, in `OrganizationId` order.
pub fn records(rows: &[ReferralRow], now: DateTime<Utc>) -> Vec<OrganizationRecord> {
    let today = crate::referral::deadline::seoul_date(now);
    let mut by_org: BTreeMap<OrganizationId, Acc> = BTreeMap::new();
    for r in rows {
        let Some(last) = r.hops.last() else { continue };
        for (i, hop) in r.hops.iter().enumerate() {
            let acc = by_org.entry(hop.organization_id).or_default();
            acc.rec.received += 1;
            if i + 1 < r.hops.len() {
                acc.rec.transferred_away += 1;
            }
        }
        for org in &r.acknowledged_by {
            by_org.entry(*org).or_default().rec.acknowledged += 1;
        }
        let acc = by_org.entry(last.organization_id).or_default();
        match r.answered_at {
            Some(at) => {
                if at <= r.due_at {
                    acc.rec.answered_on_time += 1;
                } else {
                    acc.rec.answered_late += 1;
                }
                acc.days.push(days_between(last.sent_at, at).max(0.0));
                if let Some(d) = r.decision {
                    *acc.decisions.entry(d.as_str()).or_default() += 1;
                }
            }
            None if r.status.awaits_answer() && r.due_at < now => acc.rec.overdue_now += 1,
            None => {}
        }
        for (status, due) in &r.commitments {
            if matches!(
                status,
                CommitmentStatus::Planned | CommitmentStatus::InProgress
            ) {
                acc.rec.open_commitments += 1;
                if *due < today {
                    acc.rec.overdue_commitments += 1;
                }
            }
        }
    }
    by_org
        .into_iter()
        .map(|(org, mut acc)| {
            let p = percentiles(&mut acc.days);
            OrganizationRecord {
                organization_id: Some(org),
                median_days_to_answer: p.map(|(m, _)| m),
                p90_days_to_answer: p.map(|(_, p90)| p90),
                decisions: Decision::ALL
                    .iter()
                    .map(|d| (*d, acc.decisions.get(d.as_str()).copied().unwrap_or(0)))
                    .collect(),
                ..acc.rec
            }
        })
        .collect()
}
