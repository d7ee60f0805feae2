//! `PartnerGate`: per-channel quota windows and idempotency keys, as rows.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use ocf_domain::RepoError;
use ocf_domain::partner::{ChannelId, KeyClaim, PartnerGate, StoredResponse};

use crate::db::Database;
use crate::schema::{channel_quota_windows, idempotency_keys};
use crate::time::to_db;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

const IN_FLIGHT: &str = "in_flight";
const DONE: &str = "done";

impl PartnerGate for Database {
    fn count_request(
        &self,
        channel: ChannelId,
        window_start: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<i64, RepoError> {
        let channel = channel.to_string();
        self.write(|conn| {
            let c: Count = diesel::sql_query(
                "INSERT INTO channel_quota_windows (channel_id, window_start, count) VALUES ($1, $2, 1) \
                 ON CONFLICT (channel_id, window_start) \
                 DO UPDATE SET count = channel_quota_windows.count + 1 RETURNING count",
            )
            .bind::<Text, _>(&channel)
            .bind::<Timestamp, _>(to_db(window_start))
            .get_result(conn)?;
            if c.count == 1 {
                // A new window: the old ones of this channel are done with.
                diesel::delete(
                    channel_quota_windows::table
                        .filter(channel_quota_windows::channel_id.eq(&channel))
                        .filter(channel_quota_windows::window_start.lt(to_db(forget_before))),
                )
                .execute(conn)?;
            }
            Ok(c.count)
        })
    }

    fn claim_key(
        &self,
        channel: ChannelId,
        key: &str,
        request_hash: Option<&str>,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<KeyClaim, RepoError> {
        let channel = channel.to_string();
        self.write(|conn| {
            let this = idempotency_keys::table
                .filter(idempotency_keys::channel_id.eq(&channel))
                .filter(idempotency_keys::idempotency_key.eq(key));
            diesel::delete(
                this.filter(
                    idempotency_keys::created_at.lt(to_db(expired_before)).or(
                        idempotency_keys::state
                            .eq(IN_FLIGHT)
                            .and(idempotency_keys::created_at.lt(to_db(stale_before))),
                    ),
                ),
            )
            .execute(conn)?;
            let claimed = diesel::sql_query(
                "INSERT INTO idempotency_keys (channel_id, idempotency_key, request_hash, state, created_at) \
                 VALUES ($1, $2, $3, 'in_flight', $4) ON CONFLICT (channel_id, idempotency_key) DO NOTHING",
            )
            .bind::<Text, _>(&channel)
            .bind::<Text, _>(key)
            .bind::<diesel::sql_types::Nullable<Text>, _>(request_hash)
            .bind::<Timestamp, _>(to_db(now))
            .execute(conn)?;
            if claimed == 1 {
                return Ok(KeyClaim::Claimed);
            }
            type Row = (
                Option<String>,
                String,
                Option<i32>,
                Option<String>,
                Option<String>,
                NaiveDateTime,
            );
            let (hash, state, status, content_type, body, _): Row = this
                .select((
                    idempotency_keys::request_hash,
                    idempotency_keys::state,
                    idempotency_keys::response_status,
                    idempotency_keys::response_type,
                    idempotency_keys::response_body,
                    idempotency_keys::created_at,
                ))
                .first(conn)?;
            if state != DONE {
                return Ok(KeyClaim::InFlight);
            }
            Ok(KeyClaim::Done(StoredResponse {
                request_hash: hash,
                status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
                content_type: content_type.unwrap_or_default(),
                body: body.unwrap_or_default(),
            }))
        })
    }

    fn complete_key(
        &self,
        channel: ChannelId,
        key: &str,
        r: &StoredResponse,
    ) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::update(
                idempotency_keys::table
                    .filter(idempotency_keys::channel_id.eq(channel.to_string()))
                    .filter(idempotency_keys::idempotency_key.eq(key)),
            )
            .set((
                idempotency_keys::state.eq(DONE),
                idempotency_keys::request_hash.eq(r.request_hash.as_deref()),
                idempotency_keys::response_status.eq(i32::from(r.status)),
                idempotency_keys::response_type.eq(&r.content_type),
                idempotency_keys::response_body.eq(&r.body),
            ))
            .execute(conn)?;
            Ok(())
        })
    }

    fn release_key(&self, channel: ChannelId, key: &str) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::delete(
                idempotency_keys::table
                    .filter(idempotency_keys::channel_id.eq(channel.to_string()))
                    .filter(idempotency_keys::idempotency_key.eq(key)),
            )
            .execute(conn)?;
            Ok(())
        })
    }
}

impl ocf_domain::partner::IntakeFlags for Database {
    fn record_flags(
        &self,
        flags: &[(
            ocf_domain::proposal::ProposalId,
            ocf_domain::proposal::ProposalId,
            f64,
        )],
        from: ocf_domain::event::LogCursor,
        to: ocf_domain::event::LogCursor,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        use crate::schema::intake_flags as f;
        self.write(|conn| {
            if !crate::readers::advance(
                conn,
                ocf_domain::partner::INTAKE_SIMILAR_READER,
                from,
                to,
                now,
            )? {
                return Ok(false);
            }
            for (p, c, score) in flags {
                #[allow(clippy::cast_possible_truncation)]
                let milli = (score * 1000.0).round() as i32;
                diesel::insert_into(f::table)
                    .values((
                        f::proposal_id.eq(p.to_string()),
                        f::candidate_id.eq(c.to_string()),
                        f::score_milli.eq(milli),
                        f::created_at.eq(to_db(now)),
                    ))
                    .execute(conn)?;
            }
            Ok(true)
        })
    }

    fn flags(
        &self,
        page: &ocf_domain::PageRequest<i64>,
    ) -> Result<ocf_domain::Page<ocf_domain::partner::IntakeFlag, i64>, RepoError> {
        use crate::schema::intake_flags as f;
        self.read(|conn| {
            let mut q = f::table.into_boxed();
            if let Some(after) = page.after {
                q = q.filter(f::seq.lt(after));
            }
            let rows: Vec<(i64, String, String, i32, NaiveDateTime)> = q
                .order(f::seq.desc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(|(seq, p, c, milli, at)| {
                    Ok(ocf_domain::partner::IntakeFlag {
                        seq,
                        proposal_id: ocf_domain::Id::parse(&p)
                            .map_err(|e| crate::error::corrupt("flag proposal", e))?,
                        candidate_id: ocf_domain::Id::parse(&c)
                            .map_err(|e| crate::error::corrupt("flag candidate", e))?,
                        score: f64::from(milli) / 1000.0,
                        created_at: crate::time::from_db(at),
                    })
                })
                .collect::<Result<Vec<_>, crate::error::TxError>>()?;
            Ok(ocf_domain::Page::from_rows(items, page, |x| x.seq))
        })
    }
}
