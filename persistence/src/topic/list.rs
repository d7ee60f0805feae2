//! `GET /topics`: filters, sorts and keyset pages, with full-text search on either backend.

use diesel::prelude::*;
use diesel::sql_types::Text;
use ocf_domain::actor::Visibility;
use ocf_domain::page::SortKey;
use ocf_domain::search::SearchQuery;
use ocf_domain::topic::query::{TopicFilter, TopicSort, TopicSummary};
use ocf_domain::{Id, Page, PageRequest};

use crate::db::{Backend, DbConnection};
use crate::error::{TxError, corrupt};
use crate::fulltext::{self, FtsMatch, excerpt_len, pg_fts, split_tags, substr};
use crate::schema::{topic_tags, topics, topics_fts};
use crate::time::from_db;

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    bool,
    i64,
    i64,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
);

fn to_summary(r: Row) -> Result<(SortKey, TopicSummary), TxError> {
    let (
        seq,
        id,
        title,
        excerpt,
        area,
        region,
        tags,
        status,
        hidden,
        votes,
        trending,
        created,
        updated,
    ) = r;
    let c = |what: &'static str| move |e: String| corrupt(what, e);
    let summary = TopicSummary {
        id: Id::parse(&id).map_err(|e| corrupt("topic id", e))?,
        title,
        excerpt,
        policy_area_id: Id::parse(&area).map_err(|e| corrupt("topic policy area", e))?,
        region: region
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(c("topic region"))?,
        tags: split_tags(&tags),
        status: status.parse().map_err(c("topic status"))?,
        hidden,
        vote_count: votes,
        created_at: from_db(created),
        updated_at: from_db(updated),
    };
    Ok((
        SortKey {
            value: trending,
            position: seq,
        },
        summary,
    ))
}

pub(super) fn list(
    conn: &mut DbConnection,
    backend: Backend,
    f: &TopicFilter,
    sort: TopicSort,
    page: &PageRequest<SortKey>,
) -> Result<Page<TopicSummary, SortKey>, TxError> {
    if f.search.as_ref().is_some_and(SearchQuery::matches_nothing) {
        return Ok(Page {
            items: Vec::new(),
            next_after: None,
        });
    }
    let mut q = topics::table
        .select((
            topics::seq,
            topics::id,
            topics::title,
            substr(topics::description, 1, excerpt_len()),
            topics::policy_area_id,
            topics::region,
            topics::tags,
            topics::status,
            topics::hidden,
            topics::vote_count,
            topics::trending_score,
            topics::created_at,
            topics::updated_at,
        ))
        .into_boxed();
    q = match f.visibility {
        Visibility::Public => q.filter(topics::hidden.eq(false)),
        Visibility::PublicAndOwn(me) => q.filter(
            topics::hidden
                .eq(false)
                .or(topics::author_id.eq(me.to_string())),
        ),
        Visibility::Everything => q,
    };
    if let Some(s) = f.status {
        q = q.filter(topics::status.eq(s.as_str()));
    }
    if let Some(a) = f.policy_area_id {
        q = q.filter(topics::policy_area_id.eq(a.to_string()));
    }
    if let Some(r) = f.region {
        q = q.filter(topics::region.eq(r.as_str()));
    }
    if let Some(tag) = &f.tag {
        q = q.filter(
            topics::id.eq_any(
                topic_tags::table
                    .filter(topic_tags::tag.eq(tag.clone()))
                    .select(topic_tags::topic_id),
            ),
        );
    }
    if let Some(search) = &f.search {
        let query = fulltext::query(backend, search.terms());
        q = match backend {
            Backend::Sqlite => q.filter(
                topics::seq.eq_any(
                    topics_fts::table
                        .filter(FtsMatch::new(
                            topics_fts::search_text,
                            query.into_sql::<Text>(),
                        ))
                        .select(topics_fts::rowid),
                ),
            ),
            Backend::Postgres => q.filter(pg_fts!("topics", query)),
        };
    }
    // Every order ends with `seq`, which only grows, so a page boundary never moves.
    let counter = |key: &SortKey| key.value;
    if let Some(after) = &page.after {
        let (v, seq) = (counter(after), after.position);
        q = match sort {
            TopicSort::Newest => q.filter(topics::seq.lt(seq)),
            TopicSort::MostVoted => q.filter(
                topics::vote_count
                    .lt(v)
                    .or(topics::vote_count.eq(v).and(topics::seq.lt(seq))),
            ),
            TopicSort::Trending => q.filter(
                topics::trending_score
                    .lt(v)
                    .or(topics::trending_score.eq(v).and(topics::seq.lt(seq))),
            ),
        };
    }
    q = match sort {
        TopicSort::Newest => q.order(topics::seq.desc()),
        TopicSort::MostVoted => q.order((topics::vote_count.desc(), topics::seq.desc())),
        TopicSort::Trending => q.order((topics::trending_score.desc(), topics::seq.desc())),
    };
    let rows: Vec<Row> = q.limit(page.fetch_limit()).load(conn)?;
    let keyed = rows
        .into_iter()
        .map(|r| {
            let (mut key, summary) = to_summary(r)?;
            key.value = match sort {
                TopicSort::Newest => 0,
                TopicSort::MostVoted => summary.vote_count,
                TopicSort::Trending => key.value,
            };
            Ok((key, summary))
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    Ok(Page::from_rows(keyed, page, |(k, _)| k.clone()).map(|(_, s)| s))
}
