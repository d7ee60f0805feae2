//! Topics in storage: `write` is what a unit of work stores (`TopicStore`), `list` the read side. Votes
//! share the supports' SQL (`crate::endorsement`), search the proposals' (`crate::fulltext`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::page::SortKey;
use ocf_domain::topic::query::{TopicFilter, TopicQueries, TopicSort, TopicSummary};
use ocf_domain::topic::{Topic, TopicId, TopicRecord, TopicStatus};
use ocf_domain::values::{Body, Tags, Title};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Database, DbConnection};
use crate::endorsement::Endorsements;
use crate::error::{TxError, corrupt};
use crate::fulltext::{split_tags, status_list};
use crate::schema::topics;
use crate::time::from_db;

mod list;
mod write;

/// Votes: one per person and topic, counted on the topic.
pub(crate) const VOTES: Endorsements = Endorsements {
    table: "topic_votes",
    subject: "topics",
    key: "topic_id",
    counter: "vote_count",
    open: open_statuses,
    follows: None,
};

/// Whether `user` voted on the topic: a typed query, so each connection prepares it once.
fn voted(conn: &mut DbConnection, id: TopicId, user: UserId) -> Result<bool, TxError> {
    use crate::schema::topic_votes;
    let n: i64 = topic_votes::table
        .filter(topic_votes::topic_id.eq(id.to_string()))
        .filter(topic_votes::user_id.eq(user.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn open_statuses() -> String {
    status_list(TopicStatus::OPEN.iter().map(|s| s.as_str()))
}

/// Every column a `Topic` needs.
#[derive(Queryable, Selectable)]
#[diesel(table_name = topics)]
struct TopicRow {
    id: String,
    author_id: String,
    title: String,
    description: String,
    policy_area_id: String,
    region: Option<String>,
    status: String,
    hidden: bool,
    vote_count: i64,
    tags: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

fn to_topic(r: TopicRow) -> Result<Topic, TxError> {
    let c = |what: &'static str| move |e: String| corrupt(what, e);
    Ok(Topic::restore(TopicRecord {
        id: Id::parse(&r.id).map_err(|e| corrupt("topic id", e))?,
        author_id: Id::parse(&r.author_id).map_err(|e| corrupt("topic author", e))?,
        title: Title::parse(&r.title).map_err(|e| corrupt("topic title", e))?,
        description: Body::parse(&r.description).map_err(|e| corrupt("topic description", e))?,
        policy_area_id: Id::parse(&r.policy_area_id)
            .map_err(|e| corrupt("topic policy area", e))?,
        region: r
            .region
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(c("topic region"))?,
        tags: Tags::parse(&split_tags(&r.tags)).map_err(c("topic tags"))?,
        status: r.status.parse().map_err(c("topic status"))?,
        hidden: r.hidden,
        vote_count: r.vote_count,
        created_at: from_db(r.created_at),
        updated_at: from_db(r.updated_at),
        version: r.version,
    }))
}

fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Topic>, TxError> {
    topics::table
        .filter(topics::id.eq(id))
        .select(TopicRow::as_select())
        .first(conn)
        .optional()?
        .map(to_topic)
        .transpose()
}

impl TopicQueries for Database {
    fn list_topics(
        &self,
        filter: &TopicFilter,
        sort: TopicSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<TopicSummary, SortKey>, RepoError> {
        let backend = self.backend();
        self.read(|conn| list::list(conn, backend, filter, sort, page))
    }

    fn topic(&self, id: TopicId) -> Result<Option<Topic>, RepoError> {
        self.read(|conn| load(conn, &id.to_string()))
    }

    fn voted(&self, id: TopicId, user: UserId) -> Result<bool, RepoError> {
        self.read(|conn| voted(conn, id, user))
    }

    fn refresh_topic_trending(&self, since: DateTime<Utc>) -> Result<usize, RepoError> {
        self.write(|conn| VOTES.refresh_trending(conn, since))
    }
}
