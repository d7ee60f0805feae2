//! The event log on both backends: appended inside a unit of work, read by aggregate for timelines.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::event::{
    AggregateKind, Event, EventLog, EventPayload, EventReader, LogCursor, LoggedEvent,
};
use ocf_domain::forum::ForumId;
use ocf_domain::{Id, Page, PageRequest, RepoError};
use serde_json::{Map, Value};

use crate::db::{Backend, Database};
use crate::error::{TxError, corrupt};
use crate::schema::events;
use crate::time::{from_db, to_db};
use crate::uow::Tx;

/// The payload as a JSON object without null members (the form the migration also writes).
fn payload_json(p: &EventPayload) -> String {
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.to_owned(), v);
        }
    };
    put("from_status", p.from_status.clone().map(Value::from));
    put("to_status", p.to_status.clone().map(Value::from));
    put("reason", p.reason.clone().map(Value::from));
    put("related_id", p.related_id.clone().map(Value::from));
    put("related_kind", p.related_kind.clone().map(Value::from));
    put("count", p.count.map(Value::from));
    put("agenda_item", p.agenda_item.map(Value::from));
    put("decision", p.decision.clone().map(Value::from));
    put("commitment_id", p.commitment_id.clone().map(Value::from));
    Value::Object(m).to_string()
}

pub(crate) fn parse_payload(raw: &str) -> Result<EventPayload, TxError> {
    let v: Value = serde_json::from_str(raw).map_err(|e| corrupt("event payload", e))?;
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    Ok(EventPayload {
        from_status: text("from_status"),
        to_status: text("to_status"),
        reason: text("reason"),
        related_id: text("related_id"),
        related_kind: text("related_kind"),
        count: v.get("count").and_then(Value::as_i64),
        agenda_item: v.get("agenda_item").and_then(Value::as_i64),
        decision: text("decision"),
        commitment_id: text("commitment_id"),
    })
}

/// A position in PostgreSQL's reading order.
#[derive(QueryableByName)]
struct Position {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    tx: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
}

/// The channel PostgreSQL notifies when a live stream's event commits (the payload is its position).
pub const EVENTS_CHANNEL: &str = "ocf_events";

impl EventLog for Tx<'_> {
    fn append_many(&mut self, events: &[Event]) -> Result<(), RepoError> {
        if events.iter().any(|e| e.forum.is_some()) {
            // A live stream's events take the per-event path (its lock and notification).
            return events.iter().try_for_each(|e| self.append(e));
        }
        self.run(|conn, _| {
            use crate::bulk::{insert_rows, lit, opt, ts};
            let rows = events
                .iter()
                .map(|e| {
                    Ok(format!(
                        "({}, {}, {}, {}, {}, {}, {}, {}, NULL, {})",
                        lit(&e.id.to_string())?,
                        lit(e.aggregate.as_str())?,
                        lit(&e.aggregate_id)?,
                        lit(e.event_type.as_str())?,
                        lit(e.actor_role.as_str())?,
                        opt(e.actor_id.map(|a| a.to_string()).as_deref())?,
                        ts(e.occurred_at),
                        lit(&payload_json(&e.payload))?,
                        opt(e.about.as_ref().map(|(k, id)| about_key(*k, id)).as_deref())?,
                    ))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO events (id, aggregate_type, aggregate_id, event_type, actor_role, actor_id, \
                 occurred_at, payload, forum_id, about)",
                rows,
            )
        })
    }

    fn append(&mut self, e: &Event) -> Result<(), RepoError> {
        self.run(|conn, backend| {
            let forum = e.forum.map(|f| f.to_string());
            if backend == Backend::Postgres
                && let Some(f) = &forum
            {
                // A stream's events take turns from here to commit, so they commit in position order and a
                // reader by position never skips one (docs/EVENTS.md, "Live streams"). SQLite has one
                // writer, so its positions are in commit order already.
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                    .bind::<diesel::sql_types::Text, _>(format!("forum-stream:{f}"))
                    .execute(conn)?;
            }
            let insert = diesel::insert_into(events::table).values((
                events::id.eq(e.id.to_string()),
                events::aggregate_type.eq(e.aggregate.as_str()),
                events::aggregate_id.eq(&e.aggregate_id),
                events::event_type.eq(e.event_type.as_str()),
                events::actor_role.eq(e.actor_role.as_str()),
                events::actor_id.eq(e.actor_id.map(|a| a.to_string())),
                events::occurred_at.eq(to_db(e.occurred_at)),
                events::payload.eq(payload_json(&e.payload)),
                events::forum_id.eq(&forum),
                events::about.eq(e.about.as_ref().map(|(k, id)| about_key(*k, id))),
            ));
            if backend == Backend::Postgres && forum.is_some() {
                let seq: i64 = insert.returning(events::seq).get_result(conn)?;
                // Delivered when (and only if) the transaction commits; listeners then read the log.
                diesel::sql_query("SELECT pg_notify($1, $2)")
                    .bind::<diesel::sql_types::Text, _>(EVENTS_CHANNEL)
                    .bind::<diesel::sql_types::Text, _>(seq.to_string())
                    .execute(conn)?;
            } else {
                insert.execute(conn)?;
            }
            Ok(())
        })?;
        self.streamed |= e.forum.is_some();
        Ok(())
    }
}

/// The columns an [`EventRow`] is read from, in its order.
const COLUMNS: (
    events::seq,
    events::id,
    events::aggregate_type,
    events::aggregate_id,
    events::event_type,
    events::actor_role,
    events::actor_id,
    events::occurred_at,
    events::payload,
    events::forum_id,
    events::about,
) = (
    events::seq,
    events::id,
    events::aggregate_type,
    events::aggregate_id,
    events::event_type,
    events::actor_role,
    events::actor_id,
    events::occurred_at,
    events::payload,
    events::forum_id,
    events::about,
);

type EventRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
    String,
    Option<String>,
    Option<String>,
);

fn to_logged(row: EventRow) -> Result<LoggedEvent, TxError> {
    let (seq, id, kind, aggregate_id, event_type, role, actor, at, payload, forum, about) = row;
    Ok(LoggedEvent {
        position: seq,
        event: Event {
            id: Id::parse(&id).map_err(|e| corrupt("event id", e))?,
            aggregate: kind
                .parse()
                .map_err(|e: String| corrupt("event aggregate", e))?,
            aggregate_id,
            event_type: event_type
                .parse()
                .map_err(|e: String| corrupt("event type", e))?,
            actor_role: ocf_domain::actor::ActorRole::parse(&role)
                .map_err(|e| corrupt("event actor", e))?,
            actor_id: actor
                .as_deref()
                .map(Id::parse)
                .transpose()
                .map_err(|e| corrupt("event actor id", e))?,
            occurred_at: from_db(at),
            payload: parse_payload(&payload)?,
            forum: forum
                .as_deref()
                .map(Id::parse)
                .transpose()
                .map_err(|e| corrupt("event forum", e))?,
            about: about
                .as_deref()
                .map(|a| {
                    let (k, id) = a.split_once(':').ok_or("no kind")?;
                    Ok::<_, String>((k.parse::<AggregateKind>()?, id.to_owned()))
                })
                .transpose()
                .map_err(|e| corrupt("event about", e))?,
        },
    })
}

/// How `events.about` names an aggregate: `<kind>:<id>`.
fn about_key(kind: AggregateKind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

impl EventReader for Database {
    fn aggregate_events(
        &self,
        aggregate: AggregateKind,
        id: &str,
        page: &PageRequest<i64>,
    ) -> Result<Page<LoggedEvent, i64>, RepoError> {
        self.read(|conn| {
            let mut q = events::table
                .filter(
                    events::aggregate_type
                        .eq(aggregate.as_str())
                        .and(events::aggregate_id.eq(id))
                        .or(events::about.eq(about_key(aggregate, id))),
                )
                .select(COLUMNS)
                .into_boxed();
            if let Some(after) = page.after {
                q = q.filter(events::seq.gt(after));
            }
            let rows: Vec<EventRow> = q
                .order(events::seq.asc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(to_logged)
                .collect::<Result<Vec<_>, TxError>>()?;
            Ok(Page::from_rows(items, page, |e| e.position))
        })
    }

    fn forum_events(
        &self,
        forum: ForumId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LoggedEvent>, RepoError> {
        self.read(|conn| {
            let rows: Vec<EventRow> = events::table
                .filter(events::forum_id.eq(forum.to_string()))
                .filter(events::seq.gt(after))
                .select(COLUMNS)
                .order(events::seq.asc())
                .limit(limit)
                .load(conn)?;
            rows.into_iter().map(to_logged).collect()
        })
    }

    fn log_after(
        &self,
        cursor: LogCursor,
        limit: i64,
    ) -> Result<Vec<(LogCursor, LoggedEvent)>, RepoError> {
        self.read(|conn| {
            let order: Vec<LogCursor> = match self.backend() {
                Backend::Sqlite => events::table
                    .filter(events::seq.gt(cursor.seq))
                    .select(events::seq)
                    .order(events::seq.asc())
                    .limit(limit)
                    .load::<i64>(conn)?
                    .into_iter()
                    .map(|seq| LogCursor { tx: 0, seq })
                    .collect(),
                Backend::Postgres => diesel::sql_query(
                    "SELECT tx_id::text::bigint AS tx, seq FROM events \
                     WHERE (tx_id, seq) > ($1::text::xid8, $2) \
                       AND tx_id < pg_snapshot_xmin(pg_current_snapshot()) \
                     ORDER BY tx_id, seq LIMIT $3",
                )
                .bind::<diesel::sql_types::Text, _>(cursor.tx.to_string())
                .bind::<diesel::sql_types::BigInt, _>(cursor.seq)
                .bind::<diesel::sql_types::BigInt, _>(limit)
                .load::<Position>(conn)?
                .into_iter()
                .map(|p| LogCursor {
                    tx: p.tx,
                    seq: p.seq,
                })
                .collect(),
            };
            let seqs: Vec<i64> = order.iter().map(|c| c.seq).collect();
            let rows: Vec<EventRow> = events::table
                .filter(events::seq.eq_any(&seqs))
                .select(COLUMNS)
                .load(conn)?;
            let mut by_seq: std::collections::HashMap<i64, LoggedEvent> = rows
                .into_iter()
                .map(|r| to_logged(r).map(|e| (e.position, e)))
                .collect::<Result<_, TxError>>()?;
            Ok(order
                .into_iter()
                .filter_map(|c| by_seq.remove(&c.seq).map(|e| (c, e)))
                .collect())
        })
    }

    fn log_head(&self) -> Result<LogCursor, RepoError> {
        self.read(|conn| match self.backend() {
            Backend::Sqlite => {
                let seq: Option<i64> = events::table
                    .select(diesel::dsl::max(events::seq))
                    .first(conn)?;
                Ok(LogCursor {
                    tx: 0,
                    seq: seq.unwrap_or(0),
                })
            }
            Backend::Postgres => {
                let head: Option<Position> = diesel::sql_query(
                    "SELECT tx_id::text::bigint AS tx, seq FROM events \
                     WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot()) \
                     ORDER BY tx_id DESC, seq DESC LIMIT 1",
                )
                .get_result(conn)
                .optional()?;
                Ok(head.map_or(LogCursor::default(), |p| LogCursor {
                    tx: p.tx,
                    seq: p.seq,
                }))
            }
        })
    }

    fn forum_head(&self, forum: ForumId) -> Result<i64, RepoError> {
        self.read(|conn| {
            let head: Option<i64> = events::table
                .filter(events::forum_id.eq(forum.to_string()))
                .select(diesel::dsl::max(events::seq))
                .first(conn)?;
            Ok(head.unwrap_or(0))
        })
    }
}
