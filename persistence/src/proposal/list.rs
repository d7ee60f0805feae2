//! `GET /proposals`: filters, sorts and keyset pages, with full-text search on either backend.

use chrono::{DateTime, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Text;
use ocf_domain::actor::Visibility;
use ocf_domain::proposal::Channel;
use ocf_domain::proposal::query::{ProposalFilter, ProposalKey, ProposalSort, ProposalSummary};
use ocf_domain::search::SearchQuery;
use ocf_domain::{Id, Page, PageRequest};

use crate::db::{Backend, DbConnection};
use crate::error::{TxError, corrupt};
use crate::fulltext::{self, FtsMatch, excerpt_len, pg_fts, split_tags, substr};
use crate::schema::{proposal_tags, proposals, proposals_fts};
use crate::time::{from_db, to_db};

// Queries built only from diesel's typed pieces are prepared once per connection and then reused from
// its statement cache; a raw SQL fragment (`sql::<T>(...)`) or a `NOT IN` list makes diesel prepare the
// statement again every time (for a list page on SQLite, parsing and planning cost as much as running).

/// SQLite's full-text condition, as a typed (cacheable) expression: FTS5 `MATCH` on the one indexed column.
pub(super) fn fts_match(
    query: String,
) -> FtsMatch<proposals_fts::search_text, diesel::dsl::AsExprOf<String, Text>> {
    FtsMatch::new(proposals_fts::search_text, query.into_sql::<Text>())
}

#[derive(Queryable)]
pub(super) struct SummaryRow {
    seq: i64,
    pub(super) id: String,
    title: String,
    excerpt: String,
    policy_area_id: String,
    region: Option<String>,
    tags: String,
    channel: String,
    status: String,
    hidden: bool,
    merged_into: Option<String>,
    support_count: i64,
    trending_score: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The columns of a list item; the body is cut in SQL so long bodies never leave the database.
#[allow(clippy::type_complexity)]
pub(super) fn summary_columns() -> (
    proposals::seq,
    proposals::id,
    proposals::title,
    substr<proposals::body, i32, i32>,
    proposals::policy_area_id,
    proposals::region,
    proposals::tags,
    proposals::channel,
    proposals::status,
    proposals::hidden,
    proposals::merged_into,
    proposals::support_count,
    proposals::trending_score,
    proposals::created_at,
    proposals::updated_at,
) {
    (
        proposals::seq,
        proposals::id,
        proposals::title,
        substr(proposals::body, 1, excerpt_len()),
        proposals::policy_area_id,
        proposals::region,
        proposals::tags,
        proposals::channel,
        proposals::status,
        proposals::hidden,
        proposals::merged_into,
        proposals::support_count,
        proposals::trending_score,
        proposals::created_at,
        proposals::updated_at,
    )
}

pub(super) fn to_summary(r: SummaryRow) -> Result<ProposalSummary, TxError> {
    let c = |what: &'static str| move |e: String| corrupt(what, e);
    Ok(ProposalSummary {
        id: Id::parse(&r.id).map_err(|e| corrupt("proposal id", e))?,
        title: r.title,
        excerpt: r.excerpt,
        policy_area_id: Id::parse(&r.policy_area_id)
            .map_err(|e| corrupt("proposal policy area", e))?,
        region: r
            .region
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(c("proposal region"))?,
        tags: split_tags(&r.tags),
        channel: Channel::parse(&r.channel).map_err(c("proposal channel"))?,
        status: r.status.parse().map_err(c("proposal status"))?,
        hidden: r.hidden,
        merged_into: r
            .merged_into
            .as_deref()
            .map(Id::parse)
            .transpose()
            .map_err(|e| corrupt("merged_into", e))?,
        support_count: r.support_count,
        created_at: from_db(r.created_at),
        updated_at: from_db(r.updated_at),
    })
}

/// The filters of a listing other than full text, for both query shapes (plain, and driven by the
/// full-text table).
macro_rules! narrow {
    ($q:ident, $f:expr) => {{
        let f = $f;
        match f.visibility {
            Visibility::Public => $q = $q.filter(proposals::hidden.eq(false)),
            Visibility::PublicAndOwn(me) => {
                $q = $q.filter(
                    proposals::hidden
                        .eq(false)
                        .or(proposals::author_id.eq(me.to_string())),
                );
            }
            Visibility::Everything => {}
        }
        if let Some(s) = f.status {
            $q = $q.filter(proposals::status.eq(s.as_str()));
        }
        if let Some(a) = f.policy_area_id {
            $q = $q.filter(proposals::policy_area_id.eq(a.to_string()));
        }
        if let Some(r) = f.region {
            $q = $q.filter(proposals::region.eq(r.as_str()));
        }
        if let Some(tag) = &f.tag {
            $q = $q.filter(
                proposals::id.eq_any(
                    proposal_tags::table
                        .filter(proposal_tags::tag.eq(tag.clone()))
                        .select(proposal_tags::proposal_id),
                ),
            );
        }
        if let Some(c) = &f.channel {
            $q = $q.filter(proposals::channel.eq(c.code()));
        }
        if let Some(a) = f.author_id {
            $q = $q.filter(proposals::author_id.eq(a.to_string()));
        }
        if let Some(t) = &f.topic_id {
            $q = $q.filter(proposals::topic_id.eq(t.clone()));
        }
        if let Some(t) = &f.forum_id {
            $q = $q.filter(proposals::forum_id.eq(t.clone()));
        }
        if let Some(t) = f.created_after {
            $q = $q.filter(proposals::created_at.gt(to_db(t)));
        }
        if let Some(t) = f.created_before {
            $q = $q.filter(proposals::created_at.lt(to_db(t)));
        }
        $q
    }};
}

pub(super) fn list(
    conn: &mut DbConnection,
    backend: Backend,
    f: &ProposalFilter,
    sort: ProposalSort,
    page: &PageRequest<ProposalKey>,
) -> Result<Page<ProposalSummary, ProposalKey>, TxError> {
    // On SQLite, a newest-first search lets the full-text index drive: FTS5 yields matches in
    // descending rowid (= seq) order and the scan stops at the page size, however many match.
    if f.search.as_ref().is_some_and(SearchQuery::matches_nothing) {
        return Ok(Page {
            items: Vec::new(),
            next_after: None,
        });
    }
    let fts_driven = backend == Backend::Sqlite && sort == ProposalSort::Newest;
    let rows = match (&f.search, fts_driven) {
        (Some(search), true) => {
            let query = fulltext::query(backend, search.terms());
            let mut q = proposals::table
                .inner_join(proposals_fts::table.on(proposals_fts::rowid.eq(proposals::seq)))
                .select(summary_columns())
                .into_boxed();
            q = narrow!(q, f);
            q = q.filter(fts_match(query));
            if let Some(after) = &page.after {
                q = q.filter(proposals_fts::rowid.lt(after.position));
            }
            q.order(proposals_fts::rowid.desc())
                .limit(page.fetch_limit())
                .load::<SummaryRow>(conn)?
        }
        _ => {
            let mut q = proposals::table.select(summary_columns()).into_boxed();
            q = narrow!(q, f);
            if let Some(search) = &f.search {
                let query = fulltext::query(backend, search.terms());
                q = match backend {
                    Backend::Sqlite => q.filter(
                        proposals::seq.eq_any(
                            proposals_fts::table
                                .filter(fts_match(query))
                                .select(proposals_fts::rowid),
                        ),
                    ),
                    Backend::Postgres => q.filter(pg_fts!("proposals", query)),
                };
            }
            if let Some(after) = &page.after {
                let seq = after.position;
                q = match sort {
                    ProposalSort::Newest => q.filter(proposals::seq.lt(seq)),
                    ProposalSort::MostSupported => q.filter(
                        proposals::support_count
                            .lt(after.value)
                            .or(proposals::support_count
                                .eq(after.value)
                                .and(proposals::seq.lt(seq))),
                    ),
                    ProposalSort::Trending => q.filter(
                        proposals::trending_score
                            .lt(after.value)
                            .or(proposals::trending_score
                                .eq(after.value)
                                .and(proposals::seq.lt(seq))),
                    ),
                    ProposalSort::RecentlyUpdated => {
                        let t = DateTime::from_timestamp_micros(after.value)
                            .map(to_db)
                            .unwrap_or_default();
                        q.filter(
                            proposals::updated_at
                                .lt(t)
                                .or(proposals::updated_at.eq(t).and(proposals::seq.lt(seq))),
                        )
                    }
                };
            }
            // Every order ends with `seq`: in SQLite it is the rowid, so a full-text match list is walked in
            // order and the scan stops at the page size instead of sorting every match.
            q = match sort {
                ProposalSort::Newest => q.order(proposals::seq.desc()),
                ProposalSort::MostSupported => {
                    q.order((proposals::support_count.desc(), proposals::seq.desc()))
                }
                ProposalSort::Trending => {
                    q.order((proposals::trending_score.desc(), proposals::seq.desc()))
                }
                ProposalSort::RecentlyUpdated => {
                    q.order((proposals::updated_at.desc(), proposals::seq.desc()))
                }
            };
            q.limit(page.fetch_limit()).load::<SummaryRow>(conn)?
        }
    };
    let keyed = rows
        .into_iter()
        .map(|r| {
            let key = ProposalKey {
                value: match sort {
                    ProposalSort::Newest => 0,
                    ProposalSort::MostSupported => r.support_count,
                    ProposalSort::Trending => r.trending_score,
                    ProposalSort::RecentlyUpdated => from_db(r.updated_at).timestamp_micros(),
                },
                position: r.seq,
            };
            Ok((key, to_summary(r)?))
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    Ok(Page::from_rows(keyed, page, |(k, _)| k.clone()).map(|(_, s)| s))
}
