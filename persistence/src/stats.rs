//! The reads behind the transparency statistics: proposals' journeys (state, plus the first time the
//! log saw each review step), referrals with their hops, acknowledgements and commitments, and forums
//! with the proposals born at them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::RepoError;
use ocf_domain::event::EventType;
use ocf_domain::stats::{
    ForumRow, FunnelFilter, HopRow, Journey, Period, ReferralRow, StatsQueries,
};

use crate::db::{Database, DbConnection};
use crate::error::TxError;
use crate::events::parse_payload;
use crate::referral::{date, id, parsed};
use crate::schema::{events, forums, proposals, referral_commitments, referral_hops, referrals};
use crate::time::{from_db, to_db};

type Boxed<'a> = proposals::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// The proposals `f` selects, as a query to narrow further.
fn selected(f: &FunnelFilter) -> Boxed<'static> {
    let mut q = proposals::table.into_boxed();
    let (start, end) = Period {
        from: f.from,
        to: f.to,
    }
    .bounds();
    if let Some(start) = start {
        q = q.filter(proposals::created_at.ge(to_db(start)));
    }
    if let Some(end) = end {
        q = q.filter(proposals::created_at.lt(to_db(end)));
    }
    if let Some(c) = &f.channel {
        q = q.filter(proposals::channel.eq(c.clone()));
    }
    if let Some(a) = f.policy_area_id {
        q = q.filter(proposals::policy_area_id.eq(a.to_string()));
    }
    if let Some(r) = f.region {
        q = q.filter(proposals::region.eq(r.as_str()));
    }
    if let Some(t) = f.topic_id {
        q = q.filter(proposals::topic_id.eq(t.to_string()));
    }
    if let Some(forum) = f.forum_id {
        q = q.filter(proposals::forum_id.eq(forum.to_string()));
    }
    q
}

fn earliest(slot: &mut Option<chrono::DateTime<chrono::Utc>>, at: chrono::DateTime<chrono::Utc>) {
    if slot.is_none_or(|t| at < t) {
        *slot = Some(at);
    }
}

/// The proposals referred to `org` at any step (sent there, or transferred there).
fn referred_to(
    conn: &mut DbConnection,
    org: ocf_domain::organization::OrganizationId,
) -> Result<HashSet<String>, TxError> {
    let referral_ids: Vec<String> = referral_hops::table
        .filter(referral_hops::organization_id.eq(org.to_string()))
        .select(referral_hops::referral_id)
        .distinct()
        .load(conn)?;
    let mut subjects = HashSet::new();
    for chunk in referral_ids.chunks(CHUNK) {
        let ids: Vec<String> = referrals::table
            .filter(referrals::id.eq_any(chunk))
            .filter(referrals::subject_kind.eq("proposal"))
            .select(referrals::subject_id)
            .load(conn)?;
        subjects.extend(ids);
    }
    Ok(subjects)
}

/// Ids per `IN (...)` list.
pub(crate) const CHUNK: usize = 500;

fn journeys(conn: &mut DbConnection, f: &FunnelFilter) -> Result<Vec<Journey>, TxError> {
    let mut rows: Vec<(String, NaiveDateTime)> = selected(f)
        .select((proposals::id, proposals::created_at))
        .load(conn)?;
    if let Some(org) = f.organization_id {
        let referred = referred_to(conn, org)?;
        rows.retain(|(id, _)| referred.contains(id));
    }
    Ok(journeys_of(conn, rows)?.into_values().collect())
}

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

fn referral_rows(conn: &mut DbConnection) -> Result<Vec<ReferralRow>, TxError> {
    type Row = (
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
    );
    let rows: Vec<Row> = referrals::table
        .order(referrals::seq.asc())
        .select((
            referrals::id,
            referrals::status,
            referrals::due_at,
            referrals::answered_at,
            referrals::decision,
        ))
        .load(conn)?;
    let mut hops: HashMap<String, Vec<HopRow>> = HashMap::new();
    let hop_rows: Vec<(String, String, NaiveDateTime)> = referral_hops::table
        .order((referral_hops::referral_id, referral_hops::position))
        .select((
            referral_hops::referral_id,
            referral_hops::organization_id,
            referral_hops::sent_at,
        ))
        .load(conn)?;
    for (rid, org, sent) in hop_rows {
        hops.entry(rid).or_default().push(HopRow {
            organization_id: id(&org, "hop organization")?,
            sent_at: from_db(sent),
        });
    }
    let mut acks: HashMap<String, Vec<ocf_domain::organization::OrganizationId>> = HashMap::new();
    let ack_rows: Vec<(String, String)> = events::table
        .filter(events::event_type.eq(EventType::ReferralAcknowledged.as_str()))
        .select((events::aggregate_id, events::payload))
        .load(conn)?;
    for (rid, payload) in ack_rows {
        if let Some(org) = parse_payload(&payload)?.related_id {
            acks.entry(rid)
                .or_default()
                .push(id(&org, "acknowledging organization")?);
        }
    }
    let mut commitments: HashMap<String, Vec<_>> = HashMap::new();
    let commitment_rows: Vec<(String, String, String)> = referral_commitments::table
        .select((
            referral_commitments::referral_id,
            referral_commitments::status,
            referral_commitments::due_on,
        ))
        .load(conn)?;
    for (rid, status, due) in commitment_rows {
        commitments
            .entry(rid)
            .or_default()
            .push((parsed(&status, "commitment status")?, date(&due)?));
    }
    rows.into_iter()
        .map(|(rid, status, due, answered, decision)| {
            Ok(ReferralRow {
                hops: hops.remove(&rid).unwrap_or_default(),
                status: parsed(&status, "referral status")?,
                due_at: from_db(due),
                answered_at: answered.map(from_db),
                decision: decision
                    .as_deref()
                    .map(|d| parsed(d, "decision"))
                    .transpose()?,
                acknowledged_by: acks.remove(&rid).unwrap_or_default(),
                commitments: commitments.remove(&rid).unwrap_or_default(),
            })
        })
        .collect()
}

fn forum_rows(conn: &mut DbConnection, period: Period) -> Result<Vec<ForumRow>, TxError> {
    let (start, end) = period.bounds();
    let mut q = forums::table.into_boxed();
    if let Some(start) = start {
        q = q.filter(forums::starts_at.ge(to_db(start)));
    }
    if let Some(end) = end {
        q = q.filter(forums::starts_at.lt(to_db(end)));
    }
    type Row = (
        String,
        String,
        NaiveDateTime,
        String,
        Option<String>,
        String,
        i64,
        i64,
    );
    let rows: Vec<Row> = q
        .select((
            forums::id,
            forums::title,
            forums::starts_at,
            forums::kind,
            forums::region,
            forums::status,
            forums::registered_count,
            forums::attended_count,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let mut born: HashMap<String, Vec<_>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let statuses: Vec<(Option<String>, String)> = proposals::table
            .filter(proposals::forum_id.eq_any(chunk))
            .select((proposals::forum_id, proposals::status))
            .load(conn)?;
        for (fid, status) in statuses {
            born.entry(fid.unwrap_or_default())
                .or_default()
                .push(parsed(&status, "proposal status")?);
        }
    }
    rows.into_iter()
        .map(
            |(fid, title, starts_at, kind, region, status, registered, attended)| {
                Ok(ForumRow {
                    id: id(&fid, "forum")?,
                    title,
                    starts_at: from_db(starts_at),
                    kind: parsed(&kind, "forum kind")?,
                    region: region.as_deref().map(|r| parsed(r, "region")).transpose()?,
                    status: parsed(&status, "forum status")?,
                    registered,
                    attended,
                    proposals: born.remove(&fid).unwrap_or_default(),
                })
            },
        )
        .collect()
}

impl StatsQueries for Database {
    fn journeys(&self, filter: &FunnelFilter) -> Result<Vec<Journey>, RepoError> {
        self.read(|conn| journeys(conn, filter))
    }

    fn referral_rows(&self) -> Result<Vec<ReferralRow>, RepoError> {
        self.read(referral_rows)
    }

    fn forum_rows(&self, period: Period) -> Result<Vec<ForumRow>, RepoError> {
        self.read(|conn| forum_rows(conn, period))
    }
}
