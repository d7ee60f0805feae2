//! The reads behind the transparency statistics: the funnel (from the funnel reader's projection,
//! `funnel.rs`, of proposals' journeys, `journeys.rs`), referrals with their hops, acknowledgements and
//! commitments, and forums with the proposals born at them.

mod funnel;
mod journeys;

pub(crate) use journeys::{CHUNK, journeys_of};

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::RepoError;
use ocf_domain::event::EventType;
use ocf_domain::stats::{
    ForumRow, FunnelFilter, FunnelRows, HopRow, Period, ReferralRow, StatsQueries,
};

use crate::db::{Database, DbConnection};
use crate::error::TxError;
use crate::events::parse_payload;
use crate::referral::{date, id, parsed};
use crate::schema::{events, forums, proposals, referral_commitments, referral_hops, referrals};
use crate::time::{from_db, to_db};

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
    fn funnel_rows(&self, filter: &FunnelFilter) -> Result<FunnelRows, RepoError> {
        let backend = self.backend();
        let far_behind = self.funnel_far_behind;
        self.read_snapshot(|conn| funnel::funnel_rows(conn, backend, filter, far_behind))
    }

    fn referral_rows(&self) -> Result<Vec<ReferralRow>, RepoError> {
        self.read_snapshot(referral_rows)
    }

    fn forum_rows(&self, period: Period) -> Result<Vec<ForumRow>, RepoError> {
        self.read_snapshot(|conn| forum_rows(conn, period))
    }
}
