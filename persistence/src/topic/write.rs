//! `TopicStore`: what a unit of work stores for topics, inside its transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::topic::{Topic, TopicId, TopicStore};
use ocf_domain::{RepoError, search};

use super::{VOTES, load};
use crate::db::DbConnection;
use crate::error::{TxError, dangling};
use crate::fulltext::join_tags;
use crate::schema::{topic_tags, topics};
use crate::time::to_db;
use crate::uow::Tx;

fn write_tags(conn: &mut DbConnection, t: &Topic) -> Result<(), TxError> {
    let id = t.id().to_string();
    diesel::delete(topic_tags::table.filter(topic_tags::topic_id.eq(&id))).execute(conn)?;
    for tag in t.tags().iter() {
        diesel::insert_into(topic_tags::table)
            .values((
                topic_tags::topic_id.eq(&id),
                topic_tags::tag.eq(tag.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

impl TopicStore for Tx<'_> {
    fn insert(&mut self, t: &Topic) -> Result<(), RepoError> {
        let r = t.record();
        self.run(|conn, _| {
            diesel::insert_into(topics::table)
                .values((
                    topics::id.eq(r.id.to_string()),
                    topics::author_id.eq(r.author_id.to_string()),
                    topics::title.eq(r.title.as_str()),
                    topics::description.eq(r.description.as_str()),
                    topics::policy_area_id.eq(r.policy_area_id.to_string()),
                    topics::region.eq(r.region.map(|r| r.as_str())),
                    topics::status.eq(r.status.as_str()),
                    topics::hidden.eq(r.hidden),
                    topics::vote_count.eq(r.vote_count),
                    topics::trending_score.eq(0_i64),
                    topics::tags.eq(join_tags(&r.tags)),
                    topics::search_text
                        .eq(search::index_text(r.title.as_str(), r.description.as_str())),
                    topics::created_at.eq(to_db(r.created_at)),
                    topics::updated_at.eq(to_db(r.updated_at)),
                    topics::version.eq(r.version),
                ))
                .execute(conn)
                .map_err(dangling("policy area or author"))?;
            write_tags(conn, t)
        })
    }

    fn get(&mut self, id: TopicId) -> Result<Option<Topic>, RepoError> {
        self.run(|conn, _| load(conn, &id.to_string()))
    }

    fn update(&mut self, t: &Topic) -> Result<(), RepoError> {
        let r = t.record();
        self.run(|conn, _| {
            let changed = diesel::update(
                topics::table
                    .filter(topics::id.eq(r.id.to_string()))
                    .filter(topics::version.eq(r.version - 1)),
            )
            .set((
                topics::title.eq(r.title.as_str()),
                topics::description.eq(r.description.as_str()),
                topics::policy_area_id.eq(r.policy_area_id.to_string()),
                topics::region.eq(r.region.map(|r| r.as_str())),
                topics::status.eq(r.status.as_str()),
                topics::hidden.eq(r.hidden),
                topics::tags.eq(join_tags(&r.tags)),
                topics::search_text
                    .eq(search::index_text(r.title.as_str(), r.description.as_str())),
                topics::updated_at.eq(to_db(r.updated_at)),
                topics::version.eq(r.version),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(RepoError::Conflict("topic").into());
            }
            write_tags(conn, t)
        })
    }

    fn add_vote(
        &mut self,
        id: TopicId,
        user: UserId,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, RepoError> {
        self.run(|conn, backend| {
            VOTES.add(
                conn,
                backend,
                &id.to_string(),
                &user.to_string(),
                now,
                hidden_ok,
            )
        })
    }

    fn remove_vote(
        &mut self,
        id: TopicId,
        user: UserId,
        trending_since: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        self.run(|conn, backend| {
            VOTES.remove(
                conn,
                backend,
                &id.to_string(),
                &user.to_string(),
                trending_since,
            )
        })
    }

    fn voted(&mut self, id: TopicId, user: UserId) -> Result<bool, RepoError> {
        self.run(|conn, _| super::voted(conn, id, user))
    }
}
