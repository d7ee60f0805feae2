//! `GET /forums`: filters, two sorts and keyset pages, with full-text search on either backend.

use chrono::DateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;
use ocf_domain::forum::Forum;
use ocf_domain::forum::ForumStatus;
use ocf_domain::forum::query::{DraftVisibility, ForumFilter, ForumSort, When};
use ocf_domain::page::SortKey;
use ocf_domain::search::SearchQuery;
use ocf_domain::{Page, PageRequest};

use super::{ForumRow, hydrate, micros};
use crate::db::{Backend, DbConnection};
use crate::error::TxError;
use crate::fulltext::{self, FtsMatch, pg_fts};
use crate::schema::{forum_topics, forums, forums_fts};
use crate::time::to_db;

pub(super) fn list(
    conn: &mut DbConnection,
    backend: Backend,
    f: &ForumFilter,
    sort: ForumSort,
    page: &PageRequest<SortKey>,
) -> Result<Page<Forum, SortKey>, TxError> {
    if f.search.as_ref().is_some_and(SearchQuery::matches_nothing) {
        return Ok(Page {
            items: Vec::new(),
            next_after: None,
        });
    }
    let mut q = forums::table.select(ForumRow::as_select()).into_boxed();
    let draft = ForumStatus::Draft.as_str();
    q = match f.drafts {
        DraftVisibility::None => q.filter(forums::status.ne(draft)),
        DraftVisibility::Organization(o) => q.filter(
            forums::status
                .ne(draft)
                .or(forums::organization_id.eq(o.to_string())),
        ),
        DraftVisibility::All => q,
    };
    if let Some(s) = f.status {
        q = q.filter(forums::status.eq(s.as_str()));
    }
    if let Some(k) = f.kind {
        q = q.filter(forums::kind.eq(k.as_str()));
    }
    if let Some(m) = f.mode {
        q = q.filter(forums::mode.eq(m.as_str()));
    }
    if let Some(r) = f.region {
        q = q.filter(forums::region.eq(r.as_str()));
    }
    if let Some(o) = f.organization_id {
        q = q.filter(forums::organization_id.eq(o.to_string()));
    }
    if let Some(t) = f.topic_id {
        q = q.filter(
            forums::id.eq_any(
                forum_topics::table
                    .filter(forum_topics::topic_id.eq(t.to_string()))
                    .select(forum_topics::forum_id),
            ),
        );
    }
    if let Some(from) = f.from {
        q = q.filter(forums::starts_at.ge(to_db(from)));
    }
    if let Some(to) = f.to {
        q = q.filter(forums::starts_at.lt(to_db(to)));
    }
    if let Some((when, now)) = f.when {
        q = match when {
            When::Upcoming => q.filter(forums::ends_at.ge(to_db(now))),
            When::Past => q.filter(forums::ends_at.lt(to_db(now))),
        };
    }
    if let Some(search) = &f.search {
        let query = fulltext::query(backend, search.terms());
        q = match backend {
            Backend::Sqlite => q.filter(
                forums::seq.eq_any(
                    forums_fts::table
                        .filter(FtsMatch::new(
                            forums_fts::search_text,
                            query.into_sql::<Text>(),
                        ))
                        .select(forums_fts::rowid),
                ),
            ),
            Backend::Postgres => q.filter(pg_fts!("forums", query)),
        };
    }
    if let Some(after) = &page.after {
        q = match sort {
            ForumSort::Newest => q.filter(forums::seq.lt(after.position)),
            ForumSort::StartsAt => {
                let t = DateTime::from_timestamp_micros(after.value)
                    .map(to_db)
                    .unwrap_or_default();
                q.filter(
                    forums::starts_at
                        .gt(t)
                        .or(forums::starts_at.eq(t).and(forums::seq.gt(after.position))),
                )
            }
        };
    }
    q = match sort {
        ForumSort::Newest => q.order(forums::seq.desc()),
        ForumSort::StartsAt => q.order((forums::starts_at.asc(), forums::seq.asc())),
    };
    let rows: Vec<ForumRow> = q.limit(page.fetch_limit()).load(conn)?;
    let keys: Vec<i64> = rows.iter().map(|r| micros(r.starts_at)).collect();
    let keyed = hydrate(conn, rows)?
        .into_iter()
        .zip(keys)
        .map(|((seq, forum), starts)| {
            let value = match sort {
                ForumSort::Newest => 0,
                ForumSort::StartsAt => starts,
            };
            (
                SortKey {
                    value,
                    position: seq,
                },
                forum,
            )
        })
        .collect();
    Ok(Page::from_rows(keyed, page, |(k, _)| k.clone()).map(|(_, f)| f))
}
