//! `ProposalStore`: what a unit of work stores for proposals, inside its transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};
use ocf_domain::account::UserId;
use ocf_domain::proposal::{Proposal, ProposalId, ProposalStore};
use ocf_domain::{RepoError, search};

use super::{SUPPORTS, load};
use crate::db::DbConnection;
use crate::error::{TxError, dangling};
use crate::fulltext::join_tags;
use crate::schema::{proposal_tags, proposals, supports};
use crate::time::to_db;
use crate::uow::Tx;

fn write_tags(conn: &mut DbConnection, p: &Proposal) -> Result<(), TxError> {
    let id = p.id().to_string();
    diesel::delete(proposal_tags::table.filter(proposal_tags::proposal_id.eq(&id)))
        .execute(conn)?;
    for tag in p.tags().iter() {
        diesel::insert_into(proposal_tags::table)
            .values((
                proposal_tags::proposal_id.eq(&id),
                proposal_tags::tag.eq(tag.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

impl ProposalStore for Tx<'_> {
    fn insert(&mut self, p: &Proposal) -> Result<(), RepoError> {
        let r = p.record();
        self.run(|conn, _| {
            diesel::insert_into(proposals::table)
                .values((
                    proposals::id.eq(r.id.to_string()),
                    proposals::author_id.eq(r.author_id.to_string()),
                    proposals::title.eq(r.title.as_str()),
                    proposals::body.eq(r.body.as_str()),
                    proposals::policy_area_id.eq(r.policy_area_id.to_string()),
                    proposals::region.eq(r.region.map(|r| r.as_str())),
                    proposals::topic_id.eq(r.topic_id.as_deref()),
                    proposals::forum_id.eq(r.forum_id.as_deref()),
                    proposals::channel.eq(r.channel.code()),
                    proposals::status.eq(r.status.as_str()),
                    proposals::hidden.eq(r.hidden),
                    proposals::support_count.eq(r.support_count),
                    proposals::trending_score.eq(0_i64),
                    proposals::tags.eq(join_tags(&r.tags)),
                    proposals::search_text
                        .eq(search::index_text(r.title.as_str(), r.body.as_str())),
                    proposals::created_at.eq(to_db(r.created_at)),
                    proposals::updated_at.eq(to_db(r.updated_at)),
                    proposals::version.eq(r.version),
                ))
                .execute(conn)
                .map_err(dangling("policy area or author"))?;
            write_tags(conn, p)
        })
    }

    fn insert_many(&mut self, proposals: &[Proposal]) -> Result<(), RepoError> {
        self.run(|conn, _| crate::bulk::write_proposals(conn, proposals))
    }

    fn get(&mut self, id: ProposalId) -> Result<Option<Proposal>, RepoError> {
        self.run(|conn, _| load(conn, &id.to_string()))
    }

    fn lock(&mut self, id: ProposalId) -> Result<Option<Proposal>, RepoError> {
        self.run(|conn, backend| {
            if backend == crate::db::Backend::Postgres {
                diesel::sql_query("SELECT id FROM proposals WHERE id = $1 FOR UPDATE")
                    .bind::<diesel::sql_types::Text, _>(id.to_string())
                    .execute(conn)?;
            }
            load(conn, &id.to_string())
        })
    }

    fn update(&mut self, p: &Proposal) -> Result<(), RepoError> {
        let r = p.record();
        self.run(|conn, _| {
            let changed = diesel::update(
                proposals::table
                    .filter(proposals::id.eq(r.id.to_string()))
                    .filter(proposals::version.eq(r.version - 1)),
            )
            .set((
                proposals::title.eq(r.title.as_str()),
                proposals::body.eq(r.body.as_str()),
                proposals::policy_area_id.eq(r.policy_area_id.to_string()),
                proposals::region.eq(r.region.map(|r| r.as_str())),
                proposals::status.eq(r.status.as_str()),
                proposals::hidden.eq(r.hidden),
                proposals::merged_into.eq(r.merged_into.map(|m| m.to_string())),
                proposals::tags.eq(join_tags(&r.tags)),
                proposals::search_text.eq(search::index_text(r.title.as_str(), r.body.as_str())),
                proposals::updated_at.eq(to_db(r.updated_at)),
                proposals::version.eq(r.version),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(RepoError::Conflict("proposal").into());
            }
            write_tags(conn, p)
        })
    }

    fn move_supports(
        &mut self,
        from: ProposalId,
        into: ProposalId,
        trending_since: DateTime<Utc>,
    ) -> Result<i64, RepoError> {
        let (source_id, target_id) = (from.to_string(), into.to_string());
        self.run(|conn, _| {
            // Move each supporter over unless they already support the target or wrote it.
            let moved = diesel::sql_query(
                "INSERT INTO supports (proposal_id, user_id, created_at) \
                 SELECT $1, s.user_id, s.created_at FROM supports s \
                 WHERE s.proposal_id = $2 \
                   AND s.user_id <> (SELECT author_id FROM proposals WHERE id = $1) \
                   AND NOT EXISTS (SELECT 1 FROM supports t WHERE t.proposal_id = $1 AND t.user_id = s.user_id)",
            )
            .bind::<Text, _>(&target_id)
            .bind::<Text, _>(&source_id)
            .execute(conn)?;
            diesel::delete(supports::table.filter(supports::proposal_id.eq(&source_id)))
                .execute(conn)?;
            diesel::sql_query(
                "UPDATE proposals SET \
                   support_count = (SELECT COUNT(*) FROM supports WHERE proposal_id = $1), \
                   trending_score = (SELECT COUNT(*) FROM supports WHERE proposal_id = $1 AND created_at > $2) \
                 WHERE id = $1",
            )
            .bind::<Text, _>(&target_id)
            .bind::<Timestamp, _>(to_db(trending_since))
            .execute(conn)?;
            diesel::update(proposals::table.filter(proposals::id.eq(&source_id)))
                .set((
                    proposals::support_count.eq(0_i64),
                    proposals::trending_score.eq(0_i64),
                ))
                .execute(conn)?;
            Ok(i64::try_from(moved).unwrap_or(i64::MAX))
        })
    }

    fn add_support(
        &mut self,
        id: ProposalId,
        user: UserId,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, RepoError> {
        self.run(|conn, backend| {
            SUPPORTS.add(
                conn,
                backend,
                &id.to_string(),
                &user.to_string(),
                now,
                hidden_ok,
            )
        })
    }

    fn remove_support(
        &mut self,
        id: ProposalId,
        user: UserId,
        trending_since: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        self.run(|conn, backend| {
            SUPPORTS.remove(
                conn,
                backend,
                &id.to_string(),
                &user.to_string(),
                trending_since,
            )
        })
    }

    fn supports(&mut self, id: ProposalId, user: UserId) -> Result<bool, RepoError> {
        self.run(|conn, _| super::supported(conn, id, user))
    }

    fn record_entry(
        &mut self,
        id: ProposalId,
        entry: &ocf_domain::proposal::OfflineEntry,
    ) -> Result<(), RepoError> {
        use crate::schema::proposal_entries as pe;
        self.run(|conn, _| {
            diesel::insert_into(pe::table)
                .values((
                    pe::proposal_id.eq(id.to_string()),
                    pe::entered_by.eq(entry.entered_by.to_string()),
                    pe::entered_at.eq(crate::time::to_db(entry.entered_at)),
                    pe::participant_name.eq(entry.participant_name.as_deref()),
                ))
                .execute(conn)?;
            Ok(())
        })
    }
}
