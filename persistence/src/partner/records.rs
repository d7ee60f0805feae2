//! `ChannelRecordStore`: partner records, inside a unit of work.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::Id;
use ocf_domain::RepoError;
use ocf_domain::partner::record::{ChannelPresence, Provenance};
use ocf_domain::partner::{ChannelId, ChannelRecord, ChannelRecordStore, ExternalId};
use ocf_domain::proposal::ProposalId;
use ocf_domain::values::HttpsUrl;

use crate::bulk::{insert_rows, lit, opt, ts};
use crate::db::{Backend, DbConnection};
use crate::error::{TxError, corrupt, unique};
use crate::schema::{channel_records, channels};
use crate::time::{from_db, to_db};
use crate::uow::Tx;

#[derive(Queryable)]
pub(crate) struct RecordRow {
    channel_id: String,
    external_id: String,
    proposal_id: String,
    origin: bool,
    external_url: Option<String>,
    partner_support_count: Option<i64>,
    partner_created_at: Option<NaiveDateTime>,
    partner_updated_at: Option<NaiveDateTime>,
    fingerprint: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<RecordRow> for ChannelRecord {
    type Error = TxError;
    fn try_from(r: RecordRow) -> Result<Self, TxError> {
        Ok(Self {
            channel_id: Id::parse(&r.channel_id).map_err(|e| corrupt("record channel", e))?,
            external_id: ExternalId::parse(&r.external_id)
                .map_err(|e| corrupt("record external id", e))?,
            proposal_id: Id::parse(&r.proposal_id).map_err(|e| corrupt("record proposal", e))?,
            origin: r.origin,
            provenance: Provenance {
                external_url: r.external_url.clone().map(HttpsUrl::from_stored),
                partner_created_at: r.partner_created_at.map(from_db),
                partner_updated_at: r.partner_updated_at.map(from_db),
                partner_support_count: r.partner_support_count,
            },
            fingerprint: r.fingerprint,
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
        })
    }
}

impl ChannelRecordStore for Tx<'_> {
    fn lock(
        &mut self,
        channel: ChannelId,
        external_id: &ExternalId,
    ) -> Result<Option<ChannelRecord>, RepoError> {
        self.run(|conn, backend| {
            let channel = channel.to_string();
            if backend == Backend::Postgres {
                diesel::sql_query(
                    "SELECT 1 FROM channel_records WHERE channel_id = $1 AND external_id = $2 FOR UPDATE",
                )
                .bind::<diesel::sql_types::Text, _>(&channel)
                .bind::<diesel::sql_types::Text, _>(external_id.as_str())
                .execute(conn)?;
            }
            channel_records::table
                .find((channel, external_id.as_str()))
                .first::<RecordRow>(conn)
                .optional()?
                .map(ChannelRecord::try_from)
                .transpose()
        })
    }

    fn lock_many(
        &mut self,
        channel: ChannelId,
        external_ids: &[ExternalId],
    ) -> Result<Vec<ChannelRecord>, RepoError> {
        if external_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.run(|conn, backend| {
            let channel = channel.to_string();
            if backend == Backend::Postgres {
                // External ids are checked to be 1-128 of [A-Za-z0-9._~:@-]: literals are safe, and one
                // statement locks the batch.
                let list = external_ids
                    .iter()
                    .map(|e| lit(e.as_str()))
                    .collect::<Result<Vec<_>, _>>()?
                    .join(", ");
                diesel::sql_query(format!(
                    "SELECT 1 FROM channel_records WHERE channel_id = $1 AND external_id IN ({list}) \
                     ORDER BY external_id FOR UPDATE"
                ))
                .bind::<diesel::sql_types::Text, _>(&channel)
                .execute(conn)?;
            }
            let ids: Vec<&str> = external_ids.iter().map(ExternalId::as_str).collect();
            channel_records::table
                .filter(channel_records::channel_id.eq(&channel))
                .filter(channel_records::external_id.eq_any(ids))
                .load::<RecordRow>(conn)?
                .into_iter()
                .map(ChannelRecord::try_from)
                .collect()
        })
    }

    fn insert_many(&mut self, records: &[ChannelRecord]) -> Result<(), RepoError> {
        self.run(|conn, _| {
            let rows = records
                .iter()
                .map(|r| {
                    let p = &r.provenance;
                    Ok(format!(
                        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                        lit(&r.channel_id.to_string())?,
                        lit(r.external_id.as_str())?,
                        lit(&r.proposal_id.to_string())?,
                        if r.origin { "TRUE" } else { "FALSE" },
                        opt(p.external_url.as_ref().map(HttpsUrl::as_str))?,
                        p.partner_support_count
                            .map_or_else(|| "NULL".to_owned(), |n| n.to_string()),
                        p.partner_created_at.map_or_else(|| "NULL".to_owned(), ts),
                        p.partner_updated_at.map_or_else(|| "NULL".to_owned(), ts),
                        lit(&r.fingerprint)?,
                        ts(r.created_at),
                        ts(r.updated_at),
                    ))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO channel_records (channel_id, external_id, proposal_id, origin, external_url, \
                 partner_support_count, partner_created_at, partner_updated_at, fingerprint, created_at, \
                 updated_at)",
                rows,
            )
            .map_err(|e| match e {
                TxError::Db(d) => unique("external_id")(d),
                other => other,
            })
        })
    }

    fn insert(&mut self, r: &ChannelRecord) -> Result<(), RepoError> {
        self.run(|conn, _| {
            let p = &r.provenance;
            diesel::insert_into(channel_records::table)
                .values((
                    channel_records::channel_id.eq(r.channel_id.to_string()),
                    channel_records::external_id.eq(r.external_id.as_str()),
                    channel_records::proposal_id.eq(r.proposal_id.to_string()),
                    channel_records::origin.eq(r.origin),
                    channel_records::external_url.eq(p.external_url.as_ref().map(HttpsUrl::as_str)),
                    channel_records::partner_support_count.eq(p.partner_support_count),
                    channel_records::partner_created_at.eq(p.partner_created_at.map(to_db)),
                    channel_records::partner_updated_at.eq(p.partner_updated_at.map(to_db)),
                    channel_records::fingerprint.eq(&r.fingerprint),
                    channel_records::created_at.eq(to_db(r.created_at)),
                    channel_records::updated_at.eq(to_db(r.updated_at)),
                ))
                .execute(conn)
                .map_err(unique("external_id"))?;
            Ok(())
        })
    }

    fn update(&mut self, r: &ChannelRecord) -> Result<(), RepoError> {
        self.run(|conn, _| {
            let p = &r.provenance;
            diesel::update(
                channel_records::table.find((r.channel_id.to_string(), r.external_id.as_str())),
            )
            .set((
                channel_records::external_url.eq(p.external_url.as_ref().map(HttpsUrl::as_str)),
                channel_records::partner_support_count.eq(p.partner_support_count),
                channel_records::partner_created_at.eq(p.partner_created_at.map(to_db)),
                channel_records::partner_updated_at.eq(p.partner_updated_at.map(to_db)),
                channel_records::fingerprint.eq(&r.fingerprint),
                channel_records::updated_at.eq(to_db(r.updated_at)),
            ))
            .execute(conn)?;
            Ok(())
        })
    }
}

/// The read side of partner records, outside any unit of work (`ChannelRepository`).
pub(super) fn record(
    conn: &mut DbConnection,
    channel: ChannelId,
    external_id: &ExternalId,
) -> Result<Option<ChannelRecord>, TxError> {
    channel_records::table
        .find((channel.to_string(), external_id.as_str()))
        .first::<RecordRow>(conn)
        .optional()?
        .map(ChannelRecord::try_from)
        .transpose()
}

/// Every record of a proposal, with its channel's code, oldest first.
pub(super) fn presence(
    conn: &mut DbConnection,
    proposal: ProposalId,
) -> Result<Vec<ChannelPresence>, TxError> {
    channel_records::table
        .inner_join(channels::table)
        .filter(channel_records::proposal_id.eq(proposal.to_string()))
        .order((
            channel_records::created_at.asc(),
            channel_records::channel_id.asc(),
        ))
        .select((channel_records::all_columns, channels::code))
        .load::<(RecordRow, String)>(conn)?
        .into_iter()
        .map(|(row, code)| {
            let record = ChannelRecord::try_from(row)?;
            Ok(ChannelPresence {
                channel_id: record.channel_id,
                channel_code: code,
                record,
            })
        })
        .collect()
}
