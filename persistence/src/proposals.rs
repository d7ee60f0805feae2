//! `ProposalRepository` on both backends. The full-text filter is the one place where the SQL differs:
//! FTS5 `MATCH` on SQLite, a GIN-indexed `tsvector @@ tsquery` on PostgreSQL, both over the same terms.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};
use ocf_domain::account::UserId;
use ocf_domain::ports::{
    CandidateScope, EXCERPT_CHARS, HiddenFilter, MergeOutcome, ProposalFilter, ProposalKey,
    ProposalRepository, ProposalSort, ProposalSummary,
};
use ocf_domain::proposal::{
    ActorRole, Body, Channel, EventKind, Proposal, ProposalEvent, ProposalId, ProposalStatus, Tags,
    Title,
};
use ocf_domain::{Id, Page, PageRequest, RepoError, search};

use crate::db::{Backend, Database, DbConnection};
use crate::error::{TxError, corrupt};
use crate::schema::{proposal_events, proposal_tags, proposals, proposals_fts, supports};
use crate::time::{from_db, to_db};

// Raw SQL here uses `$n` placeholders, which both backends accept. SQLite reads them as *named* parameters
// numbered by first appearance, so every statement must mention `$1` before `$2` before `$3`, or the binds
// land in the wrong places.

/// How far back "trending" looks.
pub(crate) const TRENDING_WINDOW_DAYS: i64 = 7;

/// Every column a `Proposal` needs (not the search terms, which are only for the index).
#[derive(Queryable, Selectable)]
#[diesel(table_name = proposals)]
struct ProposalRow {
    id: String,
    author_id: String,
    title: String,
    body: String,
    policy_area_id: String,
    region: Option<String>,
    topic_id: Option<String>,
    forum_id: Option<String>,
    channel: String,
    status: String,
    hidden: bool,
    merged_into: Option<String>,
    support_count: i64,
    tags: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

/// Tags are stored joined by commas (a tag cannot contain one) so a page needs no second query; the
/// `proposal_tags` table serves the `tag` filter.
fn split_tags(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn join_tags(p: &Proposal) -> String {
    p.tags
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn to_proposal(r: ProposalRow) -> Result<Proposal, TxError> {
    let tags = split_tags(&r.tags);
    let c = |what: &'static str| move |e: String| corrupt(what, e);
    Ok(Proposal {
        id: Id::parse(&r.id).map_err(|e| corrupt("proposal id", e))?,
        author_id: Id::parse(&r.author_id).map_err(|e| corrupt("proposal author", e))?,
        title: Title::parse(&r.title).map_err(|e| corrupt("proposal title", e))?,
        body: Body::parse(&r.body).map_err(|e| corrupt("proposal body", e))?,
        policy_area_id: Id::parse(&r.policy_area_id)
            .map_err(|e| corrupt("proposal policy area", e))?,
        region: r
            .region
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(c("proposal region"))?,
        tags: Tags::parse(&tags).map_err(c("proposal tags"))?,
        topic_id: r.topic_id,
        forum_id: r.forum_id,
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
        version: r.version,
    })
}

fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Proposal>, TxError> {
    let row = proposals::table
        .filter(proposals::id.eq(id))
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?;
    row.map(to_proposal).transpose()
}

fn write_tags(conn: &mut DbConnection, p: &Proposal) -> Result<(), TxError> {
    let id = p.id.to_string();
    diesel::delete(proposal_tags::table.filter(proposal_tags::proposal_id.eq(&id)))
        .execute(conn)?;
    for tag in p.tags.iter() {
        diesel::insert_into(proposal_tags::table)
            .values((
                proposal_tags::proposal_id.eq(&id),
                proposal_tags::tag.eq(tag.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub(crate) fn insert_event(
    conn: &mut DbConnection,
    e: &ProposalEvent,
    actor: Option<UserId>,
) -> Result<(), TxError> {
    diesel::insert_into(proposal_events::table)
        .values((
            proposal_events::id.eq(e.id.to_string()),
            proposal_events::proposal_id.eq(e.proposal_id.to_string()),
            proposal_events::kind.eq(e.kind.as_str()),
            proposal_events::actor_role.eq(e.actor_role.as_str()),
            proposal_events::actor_id.eq(actor.map(|a| a.to_string())),
            proposal_events::from_status.eq(e.from_status.map(|s| s.as_str())),
            proposal_events::to_status.eq(e.to_status.map(|s| s.as_str())),
            proposal_events::reason.eq(e.reason.as_deref()),
            proposal_events::related_proposal_id.eq(e.related_proposal_id.map(|p| p.to_string())),
            proposal_events::count.eq(e.count),
            proposal_events::created_at.eq(to_db(e.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Writes every mutable field if the stored version is the one this change started from.
pub(crate) fn save(conn: &mut DbConnection, p: &Proposal) -> Result<(), TxError> {
    let changed = diesel::update(
        proposals::table
            .filter(proposals::id.eq(p.id.to_string()))
            .filter(proposals::version.eq(p.version - 1)),
    )
    .set((
        proposals::title.eq(p.title.as_str()),
        proposals::body.eq(p.body.as_str()),
        proposals::policy_area_id.eq(p.policy_area_id.to_string()),
        proposals::region.eq(p.region.map(|r| r.as_str())),
        proposals::status.eq(p.status.as_str()),
        proposals::hidden.eq(p.hidden),
        proposals::merged_into.eq(p.merged_into.map(|m| m.to_string())),
        proposals::tags.eq(join_tags(p)),
        proposals::search_text.eq(search::index_text(p.title.as_str(), p.body.as_str())),
        proposals::updated_at.eq(to_db(p.updated_at)),
        proposals::version.eq(p.version),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(RepoError::Conflict("proposal").into());
    }
    write_tags(conn, p)
}

fn status_list() -> String {
    ProposalStatus::OPEN
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// PostgreSQL's estimate of how many proposals contain each of its most common lexemes (from `ANALYZE`
/// statistics of `search_vector`); empty until the table has been analysed.
fn common_lexemes(conn: &mut DbConnection) -> Result<HashMap<String, i64>, TxError> {
    #[derive(QueryableByName)]
    struct Stats {
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        elems: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        freqs: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Double)]
        rows: f64,
    }
    let stats: Option<Stats> = diesel::sql_query(
        "SELECT array_to_string(s.most_common_elems::text::text[], ' ') AS elems, \
                array_to_string(s.most_common_elem_freqs, ' ') AS freqs, c.reltuples::float8 AS rows \
         FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = to_regnamespace(s.schemaname) \
         WHERE s.schemaname = current_schema() AND s.tablename = 'proposals' AND s.attname = 'search_vector'",
    )
    .get_result(conn)
    .optional()?;
    let Some(Stats {
        elems: Some(elems),
        freqs: Some(freqs),
        rows,
    }) = stats
    else {
        return Ok(HashMap::new());
    };
    if rows <= 0.0 {
        return Ok(HashMap::new());
    }
    // The frequency list has three extra values at its end (minimum, maximum, nulls); zip ignores them.
    Ok(elems
        .split(' ')
        .zip(freqs.split(' ').filter_map(|f| f.parse::<f64>().ok()))
        .map(|(term, freq)| (term.to_owned(), (freq * rows).round() as i64))
        .collect())
}

/// The full-text query for `terms` (all must match) in the backend's own syntax, to be bound as a parameter:
/// FTS5's (each term quoted; terms are letters and digits only) or `to_tsquery`'s.
fn fts_query(backend: Backend, terms: &[String]) -> String {
    let (quote, and) = match backend {
        Backend::Sqlite => ('"', " "),
        Backend::Postgres => ('\'', " & "),
    };
    terms
        .iter()
        .map(|t| format!("{quote}{t}{quote}"))
        .collect::<Vec<_>>()
        .join(and)
}

/// PostgreSQL's full-text condition around the bound query (SQLite's is the typed [`fts_match`]): the one
/// piece of raw SQL the list and candidate queries keep.
const PG_FTS_BEFORE: &str = "proposals.search_vector @@ to_tsquery('simple', ";
const PG_FTS_AFTER: &str = ")";

/// PostgreSQL's full-text condition for a bound query, as an expression.
macro_rules! pg_fts {
    ($query:expr) => {
        sql::<Bool>(PG_FTS_BEFORE)
            .bind::<Text, _>($query)
            .sql(PG_FTS_AFTER)
    };
}

#[derive(Queryable)]
struct SummaryRow {
    seq: i64,
    id: String,
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

// Queries built only from diesel's typed pieces are prepared once per connection and then reused from
// its statement cache; a raw SQL fragment (`sql::<T>(...)`) or a `NOT IN` list makes diesel prepare the
// statement again every time (for a list page on SQLite, parsing and planning cost as much as running).
diesel::define_sql_function! {
    /// SQL `substr`: `len` characters of `text` from position `start` (1-based); the same on both backends.
    fn substr(text: Text, start: diesel::sql_types::Integer, len: diesel::sql_types::Integer) -> Text;
}

diesel::infix_operator!(FtsMatch, " MATCH ");

/// SQLite's full-text condition, as a typed (cacheable) expression: FTS5 `MATCH` on the one indexed column.
fn fts_match(
    query: String,
) -> FtsMatch<proposals_fts::search_text, diesel::dsl::AsExprOf<String, Text>> {
    FtsMatch::new(proposals_fts::search_text, query.into_sql::<Text>())
}

/// The columns of a list item; the body is cut in SQL so long bodies never leave the database.
#[allow(clippy::type_complexity)]
fn summary_columns(
    excerpt_chars: usize,
) -> (
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
        substr(
            proposals::body,
            1,
            i32::try_from(excerpt_chars).unwrap_or(i32::MAX),
        ),
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

fn to_summary(r: SummaryRow) -> Result<ProposalSummary, TxError> {
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
        match f.hidden {
            HiddenFilter::Exclude => $q = $q.filter(proposals::hidden.eq(false)),
            HiddenFilter::ExcludeExceptAuthor(me) => {
                $q = $q.filter(
                    proposals::hidden
                        .eq(false)
                        .or(proposals::author_id.eq(me.to_string())),
                );
            }
            HiddenFilter::Include => {}
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

impl ProposalRepository for Database {
    fn create_proposal(
        &self,
        p: &Proposal,
        event: &ProposalEvent,
        actor: UserId,
    ) -> Result<(), RepoError> {
        self.write(|conn| {
            diesel::insert_into(proposals::table)
                .values((
                    proposals::id.eq(p.id.to_string()),
                    proposals::author_id.eq(p.author_id.to_string()),
                    proposals::title.eq(p.title.as_str()),
                    proposals::body.eq(p.body.as_str()),
                    proposals::policy_area_id.eq(p.policy_area_id.to_string()),
                    proposals::region.eq(p.region.map(|r| r.as_str())),
                    proposals::topic_id.eq(p.topic_id.as_deref()),
                    proposals::forum_id.eq(p.forum_id.as_deref()),
                    proposals::channel.eq(p.channel.code()),
                    proposals::status.eq(p.status.as_str()),
                    proposals::hidden.eq(p.hidden),
                    proposals::support_count.eq(p.support_count),
                    proposals::trending_score.eq(0_i64),
                    proposals::search_text
                        .eq(search::index_text(p.title.as_str(), p.body.as_str())),
                    proposals::created_at.eq(to_db(p.created_at)),
                    proposals::updated_at.eq(to_db(p.updated_at)),
                    proposals::version.eq(p.version),
                ))
                .execute(conn)
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                        _,
                    ) => TxError::Repo(RepoError::NotFound("policy area or author")),
                    other => TxError::Db(other),
                })?;
            write_tags(conn, p)?;
            insert_event(conn, event, Some(actor))
        })
    }

    fn proposal(&self, id: ProposalId) -> Result<Option<Proposal>, RepoError> {
        self.read(|conn| load(conn, &id.to_string()))
    }

    fn save_proposal(
        &self,
        p: &Proposal,
        events: &[ProposalEvent],
        actor: Option<UserId>,
    ) -> Result<(), RepoError> {
        self.write(|conn| {
            save(conn, p)?;
            for e in events {
                insert_event(conn, e, actor)?;
            }
            Ok(())
        })
    }

    fn merge_proposals(
        &self,
        source: &Proposal,
        target: ProposalId,
        events: &[ProposalEvent],
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<MergeOutcome, RepoError> {
        let (source_id, target_id) = (source.id.to_string(), target.to_string());
        let since = to_db(now - Duration::days(TRENDING_WINDOW_DAYS));
        self.write(|conn| {
            save(conn, source)?;
            // The target must still be open; bumping its version also fences concurrent changes to it.
            let fenced = diesel::sql_query(format!(
                "UPDATE proposals SET version = version + 1, updated_at = $1 WHERE id = $2 AND status IN ({})",
                status_list()
            ))
            .bind::<Timestamp, _>(to_db(now))
            .bind::<Text, _>(&target_id)
            .execute(conn)?;
            if fenced == 0 {
                return Err(RepoError::Conflict("proposal").into());
            }
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
            diesel::delete(supports::table.filter(supports::proposal_id.eq(&source_id))).execute(conn)?;
            diesel::sql_query(
                "UPDATE proposals SET \
                   support_count = (SELECT COUNT(*) FROM supports WHERE proposal_id = $1), \
                   trending_score = (SELECT COUNT(*) FROM supports WHERE proposal_id = $1 AND created_at > $2) \
                 WHERE id = $1",
            )
            .bind::<Text, _>(&target_id)
            .bind::<Timestamp, _>(since)
            .execute(conn)?;
            diesel::update(proposals::table.filter(proposals::id.eq(&source_id)))
                .set((proposals::support_count.eq(0_i64), proposals::trending_score.eq(0_i64)))
                .execute(conn)?;
            let moved = i64::try_from(moved).unwrap_or(i64::MAX);
            for e in events {
                let mut e = e.clone();
                if e.kind == EventKind::Absorbed {
                    e.count = Some(moved);
                }
                insert_event(conn, &e, Some(actor))?;
            }
            Ok(MergeOutcome { moved_supports: moved })
        })
    }

    fn list_proposals(
        &self,
        f: &ProposalFilter,
        sort: ProposalSort,
        page: &PageRequest<ProposalKey>,
    ) -> Result<Page<ProposalSummary, ProposalKey>, RepoError> {
        let backend = self.backend();
        self.read(|conn| {
            // On SQLite, a newest-first search lets the full-text index drive: FTS5 yields matches in
            // descending rowid (= seq) order and the scan stops at the page size, however many match.
            let fts_driven = backend == Backend::Sqlite && sort == ProposalSort::Newest;
            let rows = match (&f.search, fts_driven) {
                (Some(search), true) => {
                    let query = fts_query(backend, search.terms());
                    let mut q = proposals::table
                        .inner_join(
                            proposals_fts::table.on(proposals_fts::rowid.eq(proposals::seq)),
                        )
                        .select(summary_columns(EXCERPT_CHARS))
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
                    let mut q = proposals::table
                        .select(summary_columns(EXCERPT_CHARS))
                        .into_boxed();
                    q = narrow!(q, f);
                    if let Some(search) = &f.search {
                        let query = fts_query(backend, search.terms());
                        q = match backend {
                            Backend::Sqlite => q.filter(
                                proposals::seq.eq_any(
                                    proposals_fts::table
                                        .filter(fts_match(query))
                                        .select(proposals_fts::rowid),
                                ),
                            ),
                            Backend::Postgres => q.filter(pg_fts!(query)),
                        };
                    }
                    if let Some(after) = &page.after {
                        let seq = after.position;
                        q =
                            match sort {
                                ProposalSort::Newest => q.filter(proposals::seq.lt(seq)),
                                ProposalSort::MostSupported => q.filter(
                                    proposals::support_count.lt(after.value).or(
                                        proposals::support_count
                                            .eq(after.value)
                                            .and(proposals::seq.lt(seq)),
                                    ),
                                ),
                                ProposalSort::Trending => q.filter(
                                    proposals::trending_score.lt(after.value).or(
                                        proposals::trending_score
                                            .eq(after.value)
                                            .and(proposals::seq.lt(seq)),
                                    ),
                                ),
                                ProposalSort::RecentlyUpdated => {
                                    let t = DateTime::from_timestamp_micros(after.value)
                                        .map(to_db)
                                        .unwrap_or_default();
                                    q.filter(proposals::updated_at.lt(t).or(
                                        proposals::updated_at.eq(t).and(proposals::seq.lt(seq)),
                                    ))
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
                            ProposalSort::RecentlyUpdated => {
                                from_db(r.updated_at).timestamp_micros()
                            }
                        },
                        position: r.seq,
                    };
                    Ok((key, to_summary(r)?))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            Ok(Page::from_rows(keyed, page, |(k, _)| k.clone()).map(|(_, s)| s))
        })
    }

    fn similar_candidates(
        &self,
        terms: &[String],
        limit: i64,
        scope: CandidateScope,
    ) -> Result<Vec<ProposalSummary>, RepoError> {
        let backend = self.backend();
        self.read(|conn| {
            // `Newest(n)`: every term is common. Walk the newest `n` proposals in `seq` order instead of
            // asking the index for every match: on PostgreSQL a GIN bitmap of 10,000+ matches visits most of
            // the table's pages before the newest 50 can be picked (0.5 s under load).
            let from_seq = match scope {
                CandidateScope::All => None,
                CandidateScope::Newest(n) => {
                    let max: Option<i64> = proposals::table
                        .select(diesel::dsl::max(proposals::seq))
                        .first(conn)?;
                    Some(max.unwrap_or(0) - n)
                }
            };
            // The columns and conditions every candidate query shares.
            macro_rules! candidates {
                ($source:expr) => {
                    $source
                        .filter(proposals::hidden.eq(false))
                        .filter(proposals::status.ne(ProposalStatus::Withdrawn.as_str()))
                        .filter(proposals::status.ne(ProposalStatus::Merged.as_str()))
                        .select(summary_columns(EXCERPT_CHARS))
                        .into_boxed()
                };
            }
            let mut found: Vec<ProposalSummary> = Vec::new();
            let mut seen: HashSet<String> = HashSet::new();
            for k in (1..=terms.len()).rev() {
                let query = fts_query(backend, &terms[..k]);
                let rows: Vec<SummaryRow> = match backend {
                    // FTS5 drives: it yields matches in descending rowid (= seq) order, so the scan stops at
                    // `limit` however common the terms are.
                    Backend::Sqlite => {
                        let mut q = candidates!(proposals::table.inner_join(
                            proposals_fts::table.on(proposals_fts::rowid.eq(proposals::seq))
                        ))
                        .filter(fts_match(query));
                        if let Some(from) = from_seq {
                            q = q.filter(proposals_fts::rowid.gt(from));
                        }
                        q.order(proposals_fts::rowid.desc())
                            .limit(limit)
                            .load(conn)?
                    }
                    Backend::Postgres => {
                        let q = candidates!(proposals::table);
                        let q = match from_seq {
                            None => q.filter(pg_fts!(query)),
                            // Common terms: a GIN bitmap would hold a large share of the table, and
                            // PostgreSQL visits every match's page before it can pick the newest (0.5-1 s
                            // at 1M proposals under load). `coalesce` hides the condition from the index,
                            // so the planner walks the `seq` index backwards through the window instead,
                            // checking each row and stopping at `limit`: bounded by the window, whatever
                            // the table's size.
                            Some(from) => q.filter(proposals::seq.gt(from)).filter(
                                sql::<Bool>("coalesce(")
                                    .sql(PG_FTS_BEFORE)
                                    .bind::<Text, _>(query)
                                    .sql(PG_FTS_AFTER)
                                    .sql(", false)"),
                            ),
                        };
                        q.order(proposals::seq.desc()).limit(limit).load(conn)?
                    }
                };
                for row in rows {
                    if (found.len() as i64) < limit && seen.insert(row.id.clone()) {
                        found.push(to_summary(row)?);
                    }
                }
                if found.len() as i64 >= limit / 4 {
                    break;
                }
            }
            Ok(found)
        })
    }

    fn term_counts(&self, terms: &[String], cap: i64) -> Result<Vec<i64>, RepoError> {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let backend = self.backend();
        self.read(|conn| {
            // PostgreSQL: GIN builds a bitmap of every match before a LIMIT applies, so counting a common
            // term is slow (200-300 ms at 1M proposals). ANALYZE already knows the common lexemes; take
            // those from the statistics and count only the rest, which are rare and so cheap to count.
            let known = match backend {
                Backend::Postgres => common_lexemes(conn)?,
                Backend::Sqlite => HashMap::new(),
            };
            terms
                .iter()
                .map(|term| {
                    if let Some(n) = known.get(term) {
                        return Ok((*n).min(cap));
                    }
                    let statement = match backend {
                        Backend::Sqlite => "SELECT COUNT(*) AS n FROM \
                             (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH $1 LIMIT $2) t"
                            .to_owned(),
                        Backend::Postgres => format!(
                            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM proposals WHERE {PG_FTS_BEFORE}$1{PG_FTS_AFTER} LIMIT $2) t"
                        ),
                    };
                    let count: Count = diesel::sql_query(statement)
                        .bind::<Text, _>(fts_query(backend, std::slice::from_ref(term)))
                        .bind::<BigInt, _>(cap)
                        .get_result(conn)?;
                    Ok(count.n)
                })
                .collect()
        })
    }

    fn add_support(
        &self,
        id: ProposalId,
        user: UserId,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, RepoError> {
        let (id, user) = (id.to_string(), user.to_string());
        let guarded_insert = format!(
            "INSERT INTO supports (proposal_id, user_id, created_at) SELECT $1, $2, $3 \
             WHERE EXISTS (SELECT 1 FROM proposals WHERE id = $1 AND status IN ({}) AND author_id <> $2{}) \
             ON CONFLICT DO NOTHING",
            status_list(),
            if hidden_ok { "" } else { " AND NOT hidden" }
        );
        match self.backend() {
            // One statement, so no transaction and one round trip: the count moves only if the insert
            // returned a row.
            Backend::Postgres => self.write_statement(|conn| {
                let updated = diesel::sql_query(format!(
                    "WITH added AS ({guarded_insert} RETURNING proposal_id) \
                     UPDATE proposals SET support_count = support_count + 1, trending_score = trending_score + 1 \
                     WHERE id = (SELECT proposal_id FROM added)"
                ))
                .bind::<Text, _>(&id)
                .bind::<Text, _>(&user)
                .bind::<Timestamp, _>(to_db(now))
                .execute(conn)?;
                Ok(updated == 1)
            }),
            // Grouped with other supports arriving at the same moment: one commit for many.
            Backend::Sqlite => self.write_grouped(move |conn| {
                let inserted = diesel::sql_query(guarded_insert)
                    .bind::<Text, _>(&id)
                    .bind::<Text, _>(&user)
                    .bind::<Timestamp, _>(to_db(now))
                    .execute(conn)?;
                if inserted == 1 {
                    diesel::sql_query(
                        "UPDATE proposals SET support_count = support_count + 1, \
                         trending_score = trending_score + 1 WHERE id = $1",
                    )
                    .bind::<Text, _>(&id)
                    .execute(conn)?;
                }
                Ok(inserted == 1)
            }),
        }
    }

    fn remove_support(
        &self,
        id: ProposalId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        let (id, user) = (id.to_string(), user.to_string());
        let since = to_db(now - Duration::days(TRENDING_WINDOW_DAYS));
        // A support younger than the trending window also counts in the trending score.
        let delete =
            "DELETE FROM supports WHERE proposal_id = $1 AND user_id = $2 RETURNING created_at";
        match self.backend() {
            Backend::Postgres => self.write_statement(|conn| {
                let updated = diesel::sql_query(format!(
                    "WITH removed AS ({delete}) \
                     UPDATE proposals SET support_count = support_count - 1, trending_score = \
                       CASE WHEN trending_score > 0 AND (SELECT created_at FROM removed) > $3 \
                       THEN trending_score - 1 ELSE trending_score END \
                     WHERE id = $1 AND EXISTS (SELECT 1 FROM removed)"
                ))
                .bind::<Text, _>(&id)
                .bind::<Text, _>(&user)
                .bind::<Timestamp, _>(since)
                .execute(conn)?;
                Ok(updated == 1)
            }),
            Backend::Sqlite => self.write_grouped(move |conn| {
                #[derive(QueryableByName)]
                struct Removed {
                    #[diesel(sql_type = Timestamp)]
                    created_at: NaiveDateTime,
                }
                let removed: Option<Removed> = diesel::sql_query(delete)
                    .bind::<Text, _>(&id)
                    .bind::<Text, _>(&user)
                    .get_result(conn)
                    .optional()?;
                let Some(removed) = removed else {
                    return Ok(false);
                };
                diesel::sql_query(
                    "UPDATE proposals SET support_count = support_count - 1, \
                     trending_score = CASE WHEN trending_score >= $1 THEN trending_score - $1 ELSE 0 END WHERE id = $2",
                )
                .bind::<BigInt, _>(i64::from(removed.created_at > since))
                .bind::<Text, _>(&id)
                .execute(conn)?;
                Ok(true)
            }),
        }
    }

    fn supports(&self, id: ProposalId, user: UserId) -> Result<bool, RepoError> {
        self.read(|conn| {
            let n: i64 = supports::table
                .filter(supports::proposal_id.eq(id.to_string()))
                .filter(supports::user_id.eq(user.to_string()))
                .count()
                .get_result(conn)?;
            Ok(n > 0)
        })
    }

    fn refresh_trending(&self, now: DateTime<Utc>) -> Result<usize, RepoError> {
        let since = to_db(now - Duration::days(TRENDING_WINDOW_DAYS));
        self.write(|conn| {
            // Only scores above zero can have gone stale: new supports raise scores as they come.
            Ok(diesel::sql_query(
                "UPDATE proposals SET trending_score = \
                   (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = proposals.id AND s.created_at > $1) \
                 WHERE trending_score > 0 AND trending_score <> \
                   (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = proposals.id AND s.created_at > $1)",
            )
            .bind::<Timestamp, _>(since)
            .execute(conn)?)
        })
    }

    fn timeline(
        &self,
        id: ProposalId,
        page: &PageRequest<String>,
    ) -> Result<Page<ProposalEvent, String>, RepoError> {
        self.read(|conn| {
            type Row = (
                String,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<i64>,
                NaiveDateTime,
            );
            let mut q = proposal_events::table
                .filter(proposal_events::proposal_id.eq(id.to_string()))
                .select((
                    proposal_events::id,
                    proposal_events::proposal_id,
                    proposal_events::kind,
                    proposal_events::actor_role,
                    proposal_events::from_status,
                    proposal_events::to_status,
                    proposal_events::reason,
                    proposal_events::related_proposal_id,
                    proposal_events::count,
                    proposal_events::created_at,
                ))
                .into_boxed();
            if let Some(after) = &page.after {
                q = q.filter(proposal_events::id.gt(after.clone()));
            }
            let rows: Vec<Row> = q
                .order(proposal_events::id.asc())
                .limit(page.fetch_limit())
                .load(conn)?;
            let status = |s: Option<String>| -> Result<Option<ProposalStatus>, TxError> {
                s.as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(|e: String| corrupt("event status", e))
            };
            let events = rows
                .into_iter()
                .map(
                    |(eid, pid, kind, role, from, to, reason, related, count, at)| {
                        Ok(ProposalEvent {
                            id: Id::parse(&eid).map_err(|e| corrupt("event id", e))?,
                            proposal_id: Id::parse(&pid)
                                .map_err(|e| corrupt("event proposal", e))?,
                            kind: kind.parse().map_err(|e: String| corrupt("event kind", e))?,
                            actor_role: ActorRole::parse(&role)
                                .map_err(|e| corrupt("event actor", e))?,
                            from_status: status(from)?,
                            to_status: status(to)?,
                            reason,
                            related_proposal_id: related
                                .as_deref()
                                .map(Id::parse)
                                .transpose()
                                .map_err(|e| corrupt("event related", e))?,
                            count,
                            created_at: from_db(at),
                        })
                    },
                )
                .collect::<Result<Vec<_>, TxError>>()?;
            Ok(Page::from_rows(events, page, |e| e.id.to_string()))
        })
    }
}
