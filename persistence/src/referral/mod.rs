//! Referrals in storage: one row each, with its hops, follow-up meetings and commitments in tables of
//! their own. `write` is what a unit of work stores (`ReferralStore`); here is the read side.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ocf_domain::referral::query::{ReferralFilter, ReferralQueries};
use ocf_domain::referral::{
    Acknowledgement, Answer, Commitment, Completion, FollowUp, Hop, Participant, Referral,
    ReferralId, ReferralRecord, ReferralStatus,
};
use ocf_domain::{Id, Page, PageRequest, RepoError};
use serde_json::{Value, json};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt};
use crate::schema::{
    proposals, referral_commitments, referral_follow_ups, referral_hops, referrals,
};
use crate::time::{from_db, to_db};

mod write;

/// Every column of a referral's row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = referrals)]
struct ReferralRow {
    id: String,
    number: String,
    year: i32,
    serial: i64,
    subject_kind: String,
    subject_id: String,
    organization_id: String,
    status: String,
    cover_note: String,
    sent_by: String,
    sent_at: NaiveDateTime,
    due_at: NaiveDateTime,
    extension_reason: Option<String>,
    extended_at: Option<NaiveDateTime>,
    division: Option<String>,
    contact: Option<String>,
    acknowledged_at: Option<NaiveDateTime>,
    acknowledged_by: Option<String>,
    decision: Option<String>,
    reasoning: Option<String>,
    planned_measures: Option<String>,
    policy_task: Option<String>,
    expected_completion_on: Option<String>,
    answered_at: Option<NaiveDateTime>,
    answered_by: Option<String>,
    evidence_url: Option<String>,
    completion_summary: Option<String>,
    completed_at: Option<NaiveDateTime>,
    completed_by: Option<String>,
    updated_at: NaiveDateTime,
    version: i64,
}

type HopRow = (
    String,
    String,
    Option<String>,
    NaiveDateTime,
    NaiveDateTime,
    bool,
);
type FollowUpRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
);
type CommitmentRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
);

pub(crate) fn id<T>(raw: &str, what: &'static str) -> Result<Id<T>, TxError> {
    Id::parse(raw).map_err(|e| corrupt(what, e))
}

pub(crate) fn parsed<T: std::str::FromStr<Err = String>>(
    raw: &str,
    what: &'static str,
) -> Result<T, TxError> {
    raw.parse().map_err(|e: String| corrupt(what, e))
}

pub(crate) fn date(raw: &str) -> Result<NaiveDate, TxError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|e| corrupt("referral date", e))
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn participants_json(p: &[Participant]) -> String {
    Value::from(
        p.iter()
            .map(|p| json!({"role": p.role, "organization": p.organization}))
            .collect::<Vec<_>>(),
    )
    .to_string()
}

fn participants(raw: &str) -> Result<Vec<Participant>, TxError> {
    let v: Vec<Value> = serde_json::from_str(raw).map_err(|e| corrupt("participants", e))?;
    Ok(v.iter()
        .map(|p| Participant {
            role: p["role"].as_str().unwrap_or_default().to_owned(),
            organization: p["organization"].as_str().unwrap_or_default().to_owned(),
        })
        .collect())
}

/// Turns rows into whole referrals, loading their hops, follow-ups and commitments together.
fn hydrate(conn: &mut DbConnection, rows: Vec<ReferralRow>) -> Result<Vec<Referral>, TxError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut hops: HashMap<String, Vec<Hop>> = HashMap::new();
    let hop_rows: Vec<HopRow> = referral_hops::table
        .filter(referral_hops::referral_id.eq_any(&ids))
        .order((referral_hops::referral_id, referral_hops::position))
        .select((
            referral_hops::referral_id,
            referral_hops::organization_id,
            referral_hops::reason,
            referral_hops::sent_at,
            referral_hops::due_at,
            referral_hops::extended,
        ))
        .load(conn)?;
    for (rid, org, reason, sent_at, due_at, extended) in hop_rows {
        hops.entry(rid).or_default().push(Hop {
            organization_id: id(&org, "hop organization")?,
            reason,
            sent_at: from_db(sent_at),
            due_at: from_db(due_at),
            extended,
        });
    }
    let mut follow_ups: HashMap<String, Vec<FollowUp>> = HashMap::new();
    let f_rows: Vec<FollowUpRow> = referral_follow_ups::table
        .filter(referral_follow_ups::referral_id.eq_any(&ids))
        .order((
            referral_follow_ups::referral_id,
            referral_follow_ups::position,
        ))
        .select((
            referral_follow_ups::referral_id,
            referral_follow_ups::id,
            referral_follow_ups::held_on,
            referral_follow_ups::participants,
            referral_follow_ups::minutes,
            referral_follow_ups::recorded_by,
            referral_follow_ups::created_at,
        ))
        .load(conn)?;
    for (rid, fid, held_on, people, minutes, by, at) in f_rows {
        follow_ups.entry(rid).or_default().push(FollowUp {
            id: id(&fid, "follow-up id")?,
            held_on: date(&held_on)?,
            participants: participants(&people)?,
            minutes,
            recorded_by: id(&by, "follow-up author")?,
            created_at: from_db(at),
        });
    }
    let mut commitments: HashMap<String, Vec<Commitment>> = HashMap::new();
    let c_rows: Vec<CommitmentRow> = referral_commitments::table
        .filter(referral_commitments::referral_id.eq_any(&ids))
        .order((
            referral_commitments::referral_id,
            referral_commitments::position,
        ))
        .select((
            referral_commitments::referral_id,
            referral_commitments::id,
            referral_commitments::follow_up_id,
            referral_commitments::description,
            referral_commitments::due_on,
            referral_commitments::status,
            referral_commitments::updated_at,
        ))
        .load(conn)?;
    for (rid, cid, fid, description, due_on, status, at) in c_rows {
        commitments.entry(rid).or_default().push(Commitment {
            id: id(&cid, "commitment id")?,
            follow_up_id: id(&fid, "commitment follow-up")?,
            description,
            due_on: date(&due_on)?,
            status: parsed(&status, "commitment status")?,
            updated_at: from_db(at),
        });
    }
    rows.into_iter()
        .map(|r| {
            let hops = hops.remove(&r.id).unwrap_or_default();
            let follow_ups = follow_ups.remove(&r.id).unwrap_or_default();
            let commitments = commitments.remove(&r.id).unwrap_or_default();
            to_referral(r, hops, follow_ups, commitments)
        })
        .collect()
}

fn to_referral(
    r: ReferralRow,
    hops: Vec<Hop>,
    follow_ups: Vec<FollowUp>,
    commitments: Vec<Commitment>,
) -> Result<Referral, TxError> {
    let acknowledgement = match (r.acknowledged_at, r.acknowledged_by) {
        (Some(at), Some(by)) => Some(Acknowledgement {
            division: r.division.unwrap_or_default(),
            contact: r.contact,
            acknowledged_at: from_db(at),
            acknowledged_by: id(&by, "acknowledging official")?,
        }),
        _ => None,
    };
    let answer = match (r.decision, r.answered_at, r.answered_by) {
        (Some(d), Some(at), Some(by)) => Some(Answer {
            decision: parsed(&d, "decision")?,
            reasoning: r.reasoning.unwrap_or_default(),
            planned_measures: r.planned_measures,
            policy_task: r.policy_task,
            expected_completion_on: r.expected_completion_on.as_deref().map(date).transpose()?,
            answered_at: from_db(at),
            answered_by: id(&by, "answering official")?,
        }),
        _ => None,
    };
    let completion = match (r.evidence_url, r.completed_at, r.completed_by) {
        (Some(url), Some(at), Some(by)) => Some(Completion {
            evidence_url: url,
            summary: r.completion_summary.unwrap_or_default(),
            completed_at: from_db(at),
            completed_by: id(&by, "completing official")?,
        }),
        _ => None,
    };
    Ok(Referral::restore(ReferralRecord {
        id: id(&r.id, "referral id")?,
        number: r.number,
        year: r.year,
        serial: r.serial,
        subject_kind: parsed(&r.subject_kind, "subject kind")?,
        subject_id: r.subject_id,
        organization_id: id(&r.organization_id, "referral organization")?,
        status: parsed(&r.status, "referral status")?,
        cover_note: r.cover_note,
        sent_by: id(&r.sent_by, "referral sender")?,
        sent_at: from_db(r.sent_at),
        due_at: from_db(r.due_at),
        extension: r
            .extension_reason
            .zip(r.extended_at)
            .map(|(reason, at)| (reason, from_db(at))),
        acknowledgement,
        answer,
        completion,
        hops,
        follow_ups,
        commitments,
        updated_at: from_db(r.updated_at),
        version: r.version,
    }))
}

pub(crate) fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Referral>, TxError> {
    let row: Option<ReferralRow> = referrals::table
        .filter(referrals::id.eq(id))
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(r) => hydrate(conn, vec![r])?.pop(),
        None => None,
    })
}

fn awaiting() -> Vec<&'static str> {
    [ReferralStatus::Sent, ReferralStatus::Acknowledged]
        .map(ReferralStatus::as_str)
        .to_vec()
}

impl ReferralQueries for Database {
    // A referral is its row plus its hops, follow-ups and commitments, read in several statements: one
    // snapshot, so a step committed between them is seen whole or not at all.
    fn referral(&self, id: ReferralId) -> Result<Option<Referral>, RepoError> {
        self.read_snapshot(|conn| load(conn, &id.to_string()))
    }

    fn list_referrals(
        &self,
        f: &ReferralFilter,
        page: &PageRequest<ReferralId>,
    ) -> Result<Page<Referral, ReferralId>, RepoError> {
        self.read_snapshot(|conn| {
            let mut q = referrals::table
                .select(ReferralRow::as_select())
                .into_boxed();
            if let Some(o) = f.organization_id {
                q = q.filter(referrals::organization_id.eq(o.to_string()));
            }
            if let Some(s) = f.status {
                q = q.filter(referrals::status.eq(s.as_str()));
            }
            if let Some(k) = f.subject_kind {
                q = q.filter(referrals::subject_kind.eq(k.as_str()));
            }
            if let Some(id) = &f.subject_id {
                q = q.filter(referrals::subject_id.eq(id));
            }
            if let Some(y) = f.year {
                q = q.filter(referrals::year.eq(y));
            }
            if f.without_hidden_subjects {
                let hidden = proposals::table
                    .filter(proposals::hidden.eq(true))
                    .select(proposals::id);
                q = q.filter(diesel::dsl::not(
                    referrals::subject_kind
                        .eq("proposal")
                        .and(referrals::subject_id.eq_any(hidden)),
                ));
            }
            if let Some((overdue, now)) = f.overdue {
                let past = referrals::status
                    .eq_any(awaiting())
                    .and(referrals::due_at.lt(to_db(now)));
                q = if overdue {
                    q.filter(past)
                } else {
                    q.filter(diesel::dsl::not(past))
                };
            }
            if let Some(after) = &page.after {
                q = q.filter(referrals::id.lt(after.to_string()));
            }
            let rows: Vec<ReferralRow> = q
                .order(referrals::id.desc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = hydrate(conn, rows)?;
            Ok(Page::from_rows(items, page, Referral::id))
        })
    }
}
