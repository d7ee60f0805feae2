//! The reads behind the annual report that the statistics do not make: the most voted topics of a
//! year, and the proposals implemented in it with their journeys.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::RepoError;
use ocf_domain::stats::{AnnualQueries, ImplementedRow, Period, TopicRow};

use crate::db::{Database, DbConnection};
use crate::error::TxError;
use crate::referral::{id, parsed};
use crate::schema::{proposals, referrals, topics};
use crate::stats::{CHUNK, journeys_of};
use crate::time::{from_db, to_db};

fn top_topics(
    conn: &mut DbConnection,
    period: Period,
    limit: usize,
) -> Result<Vec<TopicRow>, TxError> {
    let (start, end) = period.bounds();
    let mut q = topics::table.filter(topics::hidden.eq(false)).into_boxed();
    if let Some(start) = start {
        q = q.filter(topics::created_at.ge(to_db(start)));
    }
    if let Some(end) = end {
        q = q.filter(topics::created_at.lt(to_db(end)));
    }
    let rows: Vec<(String, String, String, i64)> = q
        .order((topics::vote_count.desc(), topics::seq.asc()))
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .select((
            topics::id,
            topics::title,
            topics::status,
            topics::vote_count,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(tid, title, status, votes)| {
            Ok(TopicRow {
                id: id(&tid, "topic")?,
                title,
                status: parsed(&status, "topic status")?,
                votes,
            })
        })
        .collect()
}

fn implemented(conn: &mut DbConnection, period: Period) -> Result<Vec<ImplementedRow>, TxError> {
    let (start, end) = period.bounds();
    let mut q = referrals::table
        .filter(referrals::subject_kind.eq("proposal"))
        .filter(referrals::completed_at.is_not_null())
        .into_boxed();
    if let Some(start) = start {
        q = q.filter(referrals::completed_at.ge(to_db(start)));
    }
    if let Some(end) = end {
        q = q.filter(referrals::completed_at.lt(to_db(end)));
    }
    type Row = (
        (String, String, String),
        (Option<String>, Option<String>, Option<NaiveDateTime>),
        (
            NaiveDateTime,
            Option<NaiveDateTime>,
            Option<String>,
            Option<NaiveDateTime>,
        ),
    );
    let rows: Vec<Row> = q
        .order((referrals::completed_at.asc(), referrals::seq.asc()))
        .select((
            (
                referrals::subject_id,
                referrals::number,
                referrals::organization_id,
            ),
            (
                referrals::policy_task,
                referrals::evidence_url,
                referrals::acknowledged_at,
            ),
            (
                referrals::sent_at,
                referrals::answered_at,
                referrals::decision,
                referrals::completed_at,
            ),
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.0.as_str()).collect();
    let mut proposals: Vec<(String, String, NaiveDateTime)> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        proposals.extend(
            proposals::table
                .filter(proposals::id.eq_any(chunk))
                // A hidden proposal's title is not published.
                .filter(proposals::hidden.eq(false))
                .select((proposals::id, proposals::title, proposals::created_at))
                .load::<(String, String, NaiveDateTime)>(conn)?,
        );
    }
    let titles: std::collections::HashMap<String, String> = proposals
        .iter()
        .map(|(pid, title, _)| (pid.clone(), title.clone()))
        .collect();
    let journeys = journeys_of(
        conn,
        proposals
            .into_iter()
            .map(|(pid, _, at)| (pid, at))
            .collect(),
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for ((pid, number, org), (policy_task, evidence_url, acknowledged_at), referral) in rows {
        // A hidden or deleted proposal is left out.
        let (Some(title), Some(journey)) = (titles.get(&pid), journeys.get(&pid)) else {
            continue;
        };
        // The review steps are the proposal's; the referral steps are this referral's (a proposal
        // referred again has its first referral in `journey`).
        let (sent, answered, decision, completed) = referral;
        let mut journey = journey.clone();
        journey.referred_at = Some(from_db(sent));
        journey.answered_at = answered.map(from_db);
        journey.decision = decision
            .as_deref()
            .map(|d| parsed(d, "decision"))
            .transpose()?;
        journey.implemented_at = completed.map(from_db);
        out.push(ImplementedRow {
            proposal_id: id(&pid, "proposal")?,
            title: title.clone(),
            referral_number: number,
            organization_id: id(&org, "organization")?,
            policy_task,
            evidence_url,
            acknowledged_at: acknowledged_at.map(from_db),
            journey,
        });
    }
    Ok(out)
}

impl AnnualQueries for Database {
    fn top_topics(&self, period: Period, limit: usize) -> Result<Vec<TopicRow>, RepoError> {
        self.read(|conn| top_topics(conn, period, limit))
    }

    fn implemented(&self, period: Period) -> Result<Vec<ImplementedRow>, RepoError> {
        // The referrals, their titles and their journeys are three statements: one snapshot.
        self.read_snapshot(|conn| implemented(conn, period))
    }
}
