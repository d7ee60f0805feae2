//! Forums in storage: `write` is what a unit of work stores (`ForumStore`), `registration` the seats and
//! the waitlist, `list` the read side. The panel, agenda and venue are stored as JSON beside the forum.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::forum::outcome::ForumOutcome;
use ocf_domain::forum::query::{ForumFilter, ForumQueries, ForumSort};
use ocf_domain::forum::{
    AgendaItem, Forum, ForumId, ForumRecord, ForumSchedule, LivestreamUrl, Seats, Speaker, Venue,
};
use ocf_domain::page::SortKey;
use ocf_domain::values::{Body, Title};
use ocf_domain::{Id, Page, PageRequest, RepoError};
use serde_json::{Value, json};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt};
use crate::schema::{forum_outcomes, forum_topics, forums};
use crate::time::from_db;

mod list;
mod registration;
mod write;

/// Every column a `Forum` needs.
#[derive(Queryable, Selectable)]
#[diesel(table_name = forums)]
pub(crate) struct ForumRow {
    pub(crate) seq: i64,
    id: String,
    organization_id: String,
    created_by: String,
    kind: String,
    mode: String,
    title: String,
    description: String,
    policy_area_id: String,
    venue: Option<String>,
    pub(crate) starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    registration_opens_at: Option<NaiveDateTime>,
    registration_closes_at: Option<NaiveDateTime>,
    capacity: Option<i64>,
    livestream_url: Option<String>,
    panel: String,
    agenda: String,
    status: String,
    cancel_reason: Option<String>,
    registered_count: i64,
    waitlisted_count: i64,
    attended_count: i64,
    outcome_id: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
    live_at: Option<NaiveDateTime>,
    agenda_current: Option<i32>,
}

pub(crate) fn venue_json(v: &Venue) -> String {
    json!({"name": v.name, "address": v.address, "region": v.region.as_str()}).to_string()
}

pub(crate) fn panel_json(panel: &[Speaker]) -> String {
    Value::from(
        panel
            .iter()
            .map(|s| json!({"name": s.name, "affiliation": s.affiliation, "role": s.role.as_str()}))
            .collect::<Vec<_>>(),
    )
    .to_string()
}

pub(crate) fn agenda_json(agenda: &[AgendaItem]) -> String {
    Value::from(
        agenda
            .iter()
            .map(|a| {
                json!({
                    "title": a.title,
                    "starts_at": a.starts_at.to_rfc3339(),
                    "ends_at": a.ends_at.to_rfc3339(),
                    "speaker": a.speaker,
                })
            })
            .collect::<Vec<_>>(),
    )
    .to_string()
}

fn text(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned)
}

fn time(v: &Value, k: &str) -> Result<chrono::DateTime<chrono::Utc>, TxError> {
    let raw = text(v, k).unwrap_or_default();
    chrono::DateTime::parse_from_rfc3339(&raw)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| corrupt("forum agenda time", e))
}

fn parse_json(raw: &str, what: &'static str) -> Result<Value, TxError> {
    serde_json::from_str(raw).map_err(|e| corrupt(what, e))
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn to_forum(r: ForumRow, topic_ids: Vec<String>) -> Result<Forum, TxError> {
    let c = |what: &'static str| move |e: String| corrupt(what, e);
    let venue = match r.venue.as_deref() {
        None => None,
        Some(raw) => {
            let v = parse_json(raw, "forum venue")?;
            Some(Venue {
                name: text(&v, "name").unwrap_or_default(),
                address: text(&v, "address").unwrap_or_default(),
                region: text(&v, "region")
                    .unwrap_or_default()
                    .parse()
                    .map_err(c("forum venue region"))?,
            })
        }
    };
    let panel_v = parse_json(&r.panel, "forum panel")?;
    let panel = items(&panel_v)
        .iter()
        .map(|s| {
            Ok(Speaker {
                name: text(s, "name").unwrap_or_default(),
                affiliation: text(s, "affiliation"),
                role: text(s, "role")
                    .unwrap_or_default()
                    .parse()
                    .map_err(c("forum speaker role"))?,
            })
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    let agenda_v = parse_json(&r.agenda, "forum agenda")?;
    let agenda = items(&agenda_v)
        .iter()
        .map(|a| {
            Ok(AgendaItem {
                title: text(a, "title").unwrap_or_default(),
                starts_at: time(a, "starts_at")?,
                ends_at: time(a, "ends_at")?,
                speaker: text(a, "speaker"),
            })
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    Ok(Forum::restore(ForumRecord {
        id: Id::parse(&r.id).map_err(|e| corrupt("forum id", e))?,
        organization_id: Id::parse(&r.organization_id)
            .map_err(|e| corrupt("forum organization", e))?,
        created_by: Id::parse(&r.created_by).map_err(|e| corrupt("forum creator", e))?,
        kind: r.kind.parse().map_err(c("forum kind"))?,
        mode: r.mode.parse().map_err(c("forum mode"))?,
        title: Title::parse(&r.title).map_err(|e| corrupt("forum title", e))?,
        description: Body::parse(&r.description).map_err(|e| corrupt("forum description", e))?,
        policy_area_id: Id::parse(&r.policy_area_id)
            .map_err(|e| corrupt("forum policy area", e))?,
        topic_ids: topic_ids
            .iter()
            .map(|t| Id::parse(t).map_err(|e| corrupt("forum topic", e)))
            .collect::<Result<_, _>>()?,
        venue,
        schedule: ForumSchedule {
            starts_at: from_db(r.starts_at),
            ends_at: from_db(r.ends_at),
            registration_opens_at: r.registration_opens_at.map(from_db),
            registration_closes_at: r.registration_closes_at.map(from_db),
        },
        capacity: r.capacity,
        livestream_url: r.livestream_url.clone().map(LivestreamUrl::from_stored),
        panel,
        agenda,
        status: r.status.parse().map_err(c("forum status"))?,
        cancel_reason: r.cancel_reason,
        seats: Seats {
            registered: r.registered_count,
            waitlisted: r.waitlisted_count,
            attended: r.attended_count,
        },
        outcome_id: r.outcome_id,
        live_at: r.live_at.map(from_db),
        agenda_current: r.agenda_current,
        created_at: from_db(r.created_at),
        updated_at: from_db(r.updated_at),
        version: r.version,
    }))
}

/// The linked topics of each forum, in link order.
fn topics_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<String>>, TxError> {
    let rows: Vec<(String, String)> = forum_topics::table
        .filter(forum_topics::forum_id.eq_any(ids))
        .order((forum_topics::forum_id, forum_topics::position))
        .select((forum_topics::forum_id, forum_topics::topic_id))
        .load(conn)?;
    let mut map = std::collections::HashMap::<String, Vec<String>>::new();
    for (f, t) in rows {
        map.entry(f).or_default().push(t);
    }
    Ok(map)
}

/// Forums from rows, with their topics, in one more query.
pub(crate) fn hydrate(
    conn: &mut DbConnection,
    rows: Vec<ForumRow>,
) -> Result<Vec<(i64, Forum)>, TxError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut topics = topics_of(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let t = topics.remove(&r.id).unwrap_or_default();
            let seq = r.seq;
            Ok((seq, to_forum(r, t)?))
        })
        .collect()
}

pub(crate) fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Forum>, TxError> {
    let row = forums::table
        .filter(forums::id.eq(id))
        .select(ForumRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(r) => hydrate(conn, vec![r])?.pop().map(|(_, f)| f),
        None => None,
    })
}

type OutcomeRow = (
    String,
    String,
    String,
    String,
    i64,
    String,
    NaiveDateTime,
    NaiveDateTime,
);

pub(crate) fn load_outcome(
    conn: &mut DbConnection,
    forum: &str,
) -> Result<Option<ForumOutcome>, TxError> {
    let row: Option<OutcomeRow> = forum_outcomes::table
        .filter(forum_outcomes::forum_id.eq(forum))
        .select((
            forum_outcomes::id,
            forum_outcomes::forum_id,
            forum_outcomes::summary,
            forum_outcomes::recommendations,
            forum_outcomes::attendee_count,
            forum_outcomes::proposal_ids,
            forum_outcomes::created_at,
            forum_outcomes::updated_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, forum_id, summary, recs, attendees, proposals, created, updated)) = row else {
        return Ok(None);
    };
    let strings = |raw: &str, what: &'static str| -> Result<Vec<String>, TxError> {
        serde_json::from_str(raw).map_err(|e| corrupt(what, e))
    };
    Ok(Some(ForumOutcome {
        id: Id::parse(&id).map_err(|e| corrupt("outcome id", e))?,
        forum_id: Id::parse(&forum_id).map_err(|e| corrupt("outcome forum", e))?,
        summary: Body::parse(&summary).map_err(|e| corrupt("outcome summary", e))?,
        recommendations: strings(&recs, "outcome recommendations")?,
        attendee_count: attendees,
        proposal_ids: strings(&proposals, "outcome proposals")?
            .iter()
            .map(|p| Id::parse(p).map_err(|e| corrupt("outcome proposal", e)))
            .collect::<Result<_, _>>()?,
        created_at: from_db(created),
        updated_at: from_db(updated),
    }))
}

pub(crate) fn outcome_values(o: &ForumOutcome) -> (String, String) {
    let recs = Value::from(o.recommendations.clone()).to_string();
    let ids = Value::from(
        o.proposal_ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    )
    .to_string();
    (recs, ids)
}

impl ForumQueries for Database {
    fn list_forums(
        &self,
        filter: &ForumFilter,
        sort: ForumSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<Forum, SortKey>, RepoError> {
        let backend = self.backend();
        self.read(|conn| list::list(conn, backend, filter, sort, page))
    }

    fn forum(&self, id: ForumId) -> Result<Option<Forum>, RepoError> {
        self.read(|conn| load(conn, &id.to_string()))
    }

    fn forum_outcome(&self, id: ForumId) -> Result<Option<ForumOutcome>, RepoError> {
        self.read(|conn| load_outcome(conn, &id.to_string()))
    }
}

/// A stored time as a sort key value.
pub(crate) fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}
