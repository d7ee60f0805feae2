//! `WebhookStore`: endpoints, their cursors, and deliveries claimed by one instance at a time.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use ocf_domain::event::LogCursor;
use ocf_domain::partner::ChannelId;
use ocf_domain::webhook::{
    AttemptRecord, CLAIM_LEASE, Delivery, DeliveryFilter, Endpoint, EndpointId, NewDelivery,
    WebhookStore,
};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::bulk::{insert_rows, lit, ts};
use crate::db::{Backend, Database, DbConnection};
use crate::error::{TxError, corrupt};
use crate::schema::{webhook_deliveries as d, webhook_endpoints as e};
use crate::time::{from_db, to_db};

type EndpointRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    String,
    Option<String>,
    i64,
    i64,
    NaiveDateTime,
    NaiveDateTime,
);

fn endpoint_of(r: EndpointRow) -> Result<Endpoint, TxError> {
    let bad = |what| move |x: String| corrupt(what, x);
    Ok(Endpoint {
        id: Id::parse(&r.0).map_err(|x| corrupt("webhook id", x))?,
        channel_id: Id::parse(&r.1).map_err(|x| corrupt("webhook channel", x))?,
        url: r.2,
        event_types: r
            .3
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(bad("webhook event type"))?,
        secret: r.4,
        previous_secret: r.5,
        previous_secret_expires_at: r.6.map(from_db),
        status: r.7.parse().map_err(bad("webhook status"))?,
        disabled_reason: r.8,
        cursor: LogCursor { tx: r.9, seq: r.10 },
        created_at: from_db(r.11),
        updated_at: from_db(r.12),
    })
}

type DeliveryRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    i32,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<NaiveDateTime>,
    Option<String>,
    NaiveDateTime,
    NaiveDateTime,
);

fn delivery_of(r: DeliveryRow) -> Result<Delivery, TxError> {
    let bad = |what| move |x: String| corrupt(what, x);
    Ok(Delivery {
        id: r.0,
        endpoint_id: Id::parse(&r.1).map_err(|x| corrupt("delivery webhook", x))?,
        event_type: r.3.parse().map_err(bad("delivery event type"))?,
        body: r.4,
        status: r.5.parse().map_err(bad("delivery status"))?,
        attempts: r.6,
        next_attempt_at: r.7.map(from_db),
        last_status_code: r.9,
        last_attempt_at: r.10.map(from_db),
        last_error: r.11,
        window_start: from_db(r.12),
        created_at: from_db(r.13),
    })
}

fn types_text(endpoint: &Endpoint) -> String {
    endpoint
        .event_types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn load_endpoint(conn: &mut DbConnection, id: &str) -> Result<Option<Endpoint>, TxError> {
    e::table
        .find(id)
        .first::<EndpointRow>(conn)
        .optional()?
        .map(endpoint_of)
        .transpose()
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Text)]
    id: String,
}

impl WebhookStore for Database {
    fn create_endpoint(&self, w: &Endpoint) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::insert_into(e::table)
                .values((
                    e::id.eq(w.id.to_string()),
                    e::channel_id.eq(w.channel_id.to_string()),
                    e::url.eq(&w.url),
                    e::event_types.eq(types_text(w)),
                    e::secret.eq(&w.secret),
                    e::status.eq(w.status.as_str()),
                    e::cursor_tx.eq(w.cursor.tx),
                    e::cursor_seq.eq(w.cursor.seq),
                    e::created_at.eq(to_db(w.created_at)),
                    e::updated_at.eq(to_db(w.updated_at)),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    fn endpoint(&self, id: EndpointId) -> Result<Option<Endpoint>, RepoError> {
        self.read(|conn| load_endpoint(conn, &id.to_string()))
    }

    fn endpoints(&self, channel: ChannelId) -> Result<Vec<Endpoint>, RepoError> {
        self.read(|conn| {
            e::table
                .filter(e::channel_id.eq(channel.to_string()))
                .order((e::created_at.asc(), e::id.asc()))
                .load::<EndpointRow>(conn)?
                .into_iter()
                .map(endpoint_of)
                .collect()
        })
    }

    fn active_endpoints(&self) -> Result<Vec<Endpoint>, RepoError> {
        self.read(|conn| {
            e::table
                .filter(e::status.eq("active"))
                .order(e::id.asc())
                .load::<EndpointRow>(conn)?
                .into_iter()
                .map(endpoint_of)
                .collect()
        })
    }

    fn update_endpoint(&self, w: &Endpoint) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            let n = diesel::update(e::table.find(w.id.to_string()))
                .set((
                    e::url.eq(&w.url),
                    e::event_types.eq(types_text(w)),
                    e::secret.eq(&w.secret),
                    e::previous_secret.eq(&w.previous_secret),
                    e::previous_secret_expires_at.eq(w.previous_secret_expires_at.map(to_db)),
                    e::status.eq(w.status.as_str()),
                    e::disabled_reason.eq(&w.disabled_reason),
                    e::updated_at.eq(to_db(w.updated_at)),
                ))
                .execute(conn)?;
            if n == 0 {
                return Err(TxError::Repo(RepoError::NotFound("webhook")));
            }
            Ok(())
        })
    }

    fn delete_endpoint(&self, id: EndpointId) -> Result<bool, RepoError> {
        self.write(|conn| {
            let id = id.to_string();
            diesel::delete(d::table.filter(d::endpoint_id.eq(&id))).execute(conn)?;
            Ok(diesel::delete(e::table.find(&id)).execute(conn)? > 0)
        })
    }

    fn fan_out(
        &self,
        endpoint: EndpointId,
        from: LogCursor,
        to: LogCursor,
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        self.write(|conn| {
            let id = endpoint.to_string();
            // Compare-and-set first: of several instances reading the same events, one moves the cursor
            // and writes the deliveries; the others change nothing.
            let moved = diesel::update(
                e::table
                    .find(&id)
                    .filter(e::cursor_tx.eq(from.tx))
                    .filter(e::cursor_seq.eq(from.seq)),
            )
            .set((e::cursor_tx.eq(to.tx), e::cursor_seq.eq(to.seq)))
            .execute(conn)?;
            if moved == 0 {
                return Ok(false);
            }
            let channel: String = e::table.find(&id).select(e::channel_id).first(conn)?;
            let rows = deliveries
                .iter()
                .map(|n| {
                    Ok(format!(
                        "({}, {}, {}, {}, {}, 'pending', 0, {at}, {at}, {at})",
                        lit(&n.id)?,
                        lit(&id)?,
                        lit(&channel)?,
                        lit(n.event_type.as_str())?,
                        lit(&n.body)?,
                        at = ts(now),
                    ))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO webhook_deliveries (id, endpoint_id, channel_id, event_type, body, status, \
                 attempts, next_attempt_at, window_start, created_at)",
                rows,
            )?;
            Ok(true)
        })
    }

    fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(Delivery, Endpoint)>, RepoError> {
        let backend = self.backend();
        self.write(|conn| {
            // Each instance takes what no other holds: a row locked by another claim is skipped, not
            // waited for, and a claim's lease keeps it for this instance until the attempt is recorded.
            let lock = if backend == Backend::Postgres {
                "FOR UPDATE OF d SKIP LOCKED"
            } else {
                ""
            };
            let claimed: Vec<Claimed> = diesel::sql_query(format!(
                "UPDATE webhook_deliveries SET claimed_until = $1, attempts = attempts + 1 \
                 WHERE id IN (SELECT d.id FROM webhook_deliveries d \
                   JOIN webhook_endpoints w ON w.id = d.endpoint_id \
                   WHERE d.status = 'pending' AND d.next_attempt_at <= $2 \
                     AND (d.claimed_until IS NULL OR d.claimed_until < $3) AND w.status = 'active' \
                   ORDER BY d.next_attempt_at LIMIT $4 {lock}) \
                 RETURNING id"
            ))
            .bind::<Timestamp, _>(to_db(now + CLAIM_LEASE))
            .bind::<Timestamp, _>(to_db(now))
            .bind::<Timestamp, _>(to_db(now))
            .bind::<BigInt, _>(limit)
            .load(conn)?;
            if claimed.is_empty() {
                return Ok(Vec::new());
            }
            let ids: Vec<String> = claimed.into_iter().map(|c| c.id).collect();
            let rows = d::table
                .inner_join(e::table)
                .filter(d::id.eq_any(&ids))
                .select((d::all_columns, e::all_columns))
                .load::<(DeliveryRow, EndpointRow)>(conn)?;
            rows.into_iter()
                .map(|(dr, er)| Ok((delivery_of(dr)?, endpoint_of(er)?)))
                .collect()
        })
    }

    fn record_attempts(&self, attempts: &[AttemptRecord]) -> Result<(), RepoError> {
        if attempts.is_empty() {
            return Ok(());
        }
        self.write(|conn| {
            for a in attempts {
                diesel::update(d::table.find(&a.delivery_id))
                    .set((
                        d::status.eq(a.status.as_str()),
                        d::next_attempt_at.eq(a.next_attempt_at.map(to_db)),
                        d::claimed_until.eq(None::<NaiveDateTime>),
                        d::last_status_code.eq(a.status_code),
                        d::last_attempt_at.eq(to_db(a.at)),
                        d::last_error.eq(&a.error),
                    ))
                    .execute(conn)?;
                if a.disable_endpoint {
                    diesel::update(e::table.find(a.endpoint_id.to_string()))
                        .set((
                            e::status.eq("disabled"),
                            e::disabled_reason.eq("the endpoint answered 410 Gone"),
                            e::updated_at.eq(to_db(a.at)),
                        ))
                        .execute(conn)?;
                }
            }
            Ok(())
        })
    }

    fn delivery(&self, id: &str) -> Result<Option<Delivery>, RepoError> {
        self.read(|conn| {
            d::table
                .find(id)
                .first::<DeliveryRow>(conn)
                .optional()?
                .map(delivery_of)
                .transpose()
        })
    }

    fn deliveries(
        &self,
        channel: ChannelId,
        filter: &DeliveryFilter,
        page: &PageRequest<String>,
    ) -> Result<Page<Delivery, String>, RepoError> {
        self.read(|conn| {
            let mut q = d::table
                .filter(d::channel_id.eq(channel.to_string()))
                .into_boxed();
            if let Some(w) = filter.endpoint_id {
                q = q.filter(d::endpoint_id.eq(w.to_string()));
            }
            if let Some(s) = filter.status {
                q = q.filter(d::status.eq(s.as_str()));
            }
            if let Some(after) = &page.after {
                q = q.filter(d::id.lt(after));
            }
            let items = q
                .order(d::id.desc())
                .limit(page.fetch_limit())
                .load::<DeliveryRow>(conn)?
                .into_iter()
                .map(delivery_of)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(items, page, |x| x.id.clone()))
        })
    }

    fn redeliver(&self, id: &str, now: DateTime<Utc>) -> Result<Option<Delivery>, RepoError> {
        self.write(|conn| {
            diesel::update(d::table.find(id))
                .set((
                    d::status.eq("pending"),
                    d::next_attempt_at.eq(to_db(now)),
                    d::claimed_until.eq(None::<NaiveDateTime>),
                    d::window_start.eq(to_db(now)),
                ))
                .execute(conn)?;
            d::table
                .find(id)
                .first::<DeliveryRow>(conn)
                .optional()?
                .map(delivery_of)
                .transpose()
        })
    }
}
