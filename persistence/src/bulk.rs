//! Bulk loading: many rows per statement and one transaction per call, for seeding large data sets (the
//! benchmark's 180,705 proposals) and, later, partner imports. The `MultiConnection` query builder cannot
//! insert many rows in one statement, so these statements are written out with escaped literals.

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Timestamp;
use ocf_domain::account::{NewUser, UserId};
use ocf_domain::proposal::{Proposal, ProposalId};
use ocf_domain::{RepoError, search};

use crate::db::{Backend, Database, DbConnection};
use crate::error::TxError;
use crate::time::to_db;

/// Rows per `INSERT` statement: large enough to amortise parsing, small enough for any SQL length limit.
const CHUNK: usize = 500;

/// A SQL string literal. Rejects NUL, which neither backend stores in text.
pub(crate) fn lit(s: &str) -> Result<String, TxError> {
    if s.contains('\0') {
        return Err(RepoError::Backend("text with a NUL character cannot be stored".into()).into());
    }
    Ok(format!("'{}'", s.replace('\'', "''")))
}

pub(crate) fn opt(s: Option<&str>) -> Result<String, TxError> {
    s.map_or_else(|| Ok("NULL".to_owned()), lit)
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    format!("'{}'", to_db(t).format("%Y-%m-%d %H:%M:%S%.6f"))
}

pub(crate) fn insert_rows(
    conn: &mut DbConnection,
    head: &str,
    rows: Vec<String>,
) -> Result<(), TxError> {
    for chunk in rows.chunks(CHUNK) {
        conn.batch_execute(&format!("{head} VALUES {}", chunk.join(", ")))?;
    }
    Ok(())
}

impl Database {
    /// Stores accounts (with their roles) in one transaction.
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure (a duplicate email included); nothing is stored then.
    pub fn bulk_insert_users(&self, users: &[NewUser]) -> Result<(), RepoError> {
        self.write(|conn| {
            let mut rows = Vec::with_capacity(users.len());
            let mut roles = Vec::with_capacity(users.len());
            for u in users {
                let id = lit(&u.id.to_string())?;
                rows.push(format!(
                    "({id}, {}, {}, {}, NULL, {}, {})",
                    lit(u.email.as_str())?,
                    lit(&u.password_hash)?,
                    lit(u.display_name.as_str())?,
                    ts(u.created_at),
                    ts(u.created_at)
                ));
                for r in u.roles.iter() {
                    roles.push(format!("({id}, {})", lit(r.as_str())?));
                }
            }
            insert_rows(
                conn,
                "INSERT INTO users (id, email, password_hash, display_name, organization_id, created_at, updated_at)",
                rows,
            )?;
            insert_rows(conn, "INSERT INTO user_roles (user_id, role)", roles)
        })
    }

    /// Stores proposals with their tags and `submitted` events in one transaction. Support counts are
    /// set by [`Database::bulk_insert_supports`].
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure; nothing is stored then.
    pub fn bulk_insert_proposals(&self, proposals: &[Proposal]) -> Result<(), RepoError> {
        self.write(|conn| {
            write_proposals(conn, proposals)?;
            let mut events = Vec::with_capacity(proposals.len());
            for p in proposals {
                events.push(format!(
                    "({}, 'proposal', {}, 'proposal.submitted', 'author', {}, {}, '{{\"to_status\":\"submitted\"}}')",
                    lit(&ocf_domain::Id::<()>::generate().to_string())?,
                    lit(&p.id().to_string())?,
                    lit(&p.author_id().to_string())?,
                    ts(p.created_at())
                ));
            }
            insert_rows(
                conn,
                "INSERT INTO events (id, aggregate_type, aggregate_id, event_type, actor_role, actor_id, \
                 occurred_at, payload)",
                events,
            )
        })
    }

    /// Stores supports and recomputes every proposal's support count and trending score, in one
    /// transaction. Each (proposal, person) pair must be new.
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure; nothing is stored then.
    pub fn bulk_insert_supports(
        &self,
        supports: &[(ProposalId, UserId, DateTime<Utc>)],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let since = to_db(ocf_domain::proposal::trending_since(now));
        self.write(|conn| {
            let rows = supports
                .iter()
                .map(|(p, u, at)| Ok(format!("({}, {}, {})", lit(&p.to_string())?, lit(&u.to_string())?, ts(*at))))
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(conn, "INSERT INTO supports (proposal_id, user_id, created_at)", rows)?;
            diesel::sql_query(
                "UPDATE proposals SET \
                   support_count = (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = proposals.id), \
                   trending_score = (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = proposals.id AND s.created_at > $1)",
            )
            .bind::<Timestamp, _>(since)
            .execute(conn)?;
            Ok(())
        })
    }

    /// Makes `users` follow subject `kind` `id`, in one transaction. Each pair must be new.
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure; nothing is stored then.
    pub fn bulk_insert_follows(
        &self,
        kind: &str,
        id: &str,
        users: &[UserId],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        self.write(|conn| {
            let (kind, id, at) = (lit(kind)?, lit(id)?, ts(now));
            let rows = users
                .iter()
                .map(|u| Ok(format!("({kind}, {id}, {}, {at})", lit(&u.to_string())?)))
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO follows (subject_type, subject_id, user_id, created_at)",
                rows,
            )
        })
    }

    /// How many notifications of `event_type` about `subject_id` exist (the benchmark waits on it).
    ///
    /// # Errors
    /// [`RepoError::Backend`].
    pub fn count_notifications(
        &self,
        event_type: &str,
        subject_id: &str,
    ) -> Result<i64, RepoError> {
        use crate::schema::notifications as n;
        self.read(|conn| {
            Ok(n::table
                .filter(n::event_type.eq(event_type))
                .filter(n::subject_id.eq(subject_id))
                .count()
                .get_result(conn)?)
        })
    }

    /// Refreshes the planner's statistics after a bulk load (`ANALYZE`).
    ///
    /// # Errors
    /// [`RepoError::Backend`].
    pub fn analyze(&self) -> Result<(), RepoError> {
        self.read(|conn| Ok(conn.batch_execute("ANALYZE")?))
    }

    /// What autovacuum does after the funnel reader's first build, at once: on PostgreSQL the funnel's
    /// count is an index-only scan only over pages the visibility map marks all-visible (a freshly
    /// written projection has none, and the count reads the heap: 52 ms instead of 2 ms at 1M
    /// proposals). SQLite has no visibility map: statistics only.
    ///
    /// # Errors
    /// [`RepoError::Backend`].
    pub fn vacuum_funnel(&self) -> Result<(), RepoError> {
        let statement = match self.backend() {
            Backend::Postgres => "VACUUM ANALYZE funnel_journeys",
            Backend::Sqlite => "ANALYZE",
        };
        self.read(|conn| Ok(conn.batch_execute(statement)?))
    }

    /// How many bytes the database occupies.
    ///
    /// # Errors
    /// [`RepoError::Backend`].
    pub fn storage_bytes(&self) -> Result<u64, RepoError> {
        #[derive(QueryableByName)]
        struct Size {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            bytes: i64,
        }
        let statement = match self.backend() {
            Backend::Sqlite => {
                "SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()) AS bytes"
            }
            Backend::Postgres => "SELECT pg_database_size(current_database()) AS bytes",
        };
        self.read(|conn| {
            let size: Size = diesel::sql_query(statement).get_result(conn)?;
            Ok(u64::try_from(size.bytes).unwrap_or(0))
        })
    }
}

/// Stores new proposals and their tags, many rows per statement, inside the caller's transaction (the
/// benchmark's load, and partner imports through `ProposalStore::insert_many`).
pub(crate) fn write_proposals(
    conn: &mut DbConnection,
    proposals: &[Proposal],
) -> Result<(), TxError> {
    let (mut rows, mut tags) = (Vec::with_capacity(proposals.len()), Vec::new());
    for p in proposals {
        let id = lit(&p.id().to_string())?;
        rows.push(format!(
            "({id}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 0, {}, {}, {}, {}, {})",
            lit(&p.author_id().to_string())?,
            lit(p.title().as_str())?,
            lit(p.body().as_str())?,
            lit(&p.policy_area_id().to_string())?,
            opt(p.region().map(|r| r.as_str()))?,
            opt(p.topic_id().as_deref())?,
            opt(p.forum_id().as_deref())?,
            lit(&p.channel().code())?,
            lit(p.status().as_str())?,
            if p.hidden() { "TRUE" } else { "FALSE" },
            opt(p.merged_into().map(|m| m.to_string()).as_deref())?,
            p.support_count(),
            lit(&crate::fulltext::join_tags(p.tags()))?,
            lit(&search::index_text(p.title().as_str(), p.body().as_str()))?,
            ts(p.created_at()),
            ts(p.updated_at()),
            p.version()
        ));
        for t in p.tags().iter() {
            tags.push(format!("({id}, {})", lit(t.as_str())?));
        }
    }
    insert_rows(
        conn,
        "INSERT INTO proposals (id, author_id, title, body, policy_area_id, region, topic_id, forum_id, \
         channel, status, hidden, merged_into, support_count, trending_score, tags, search_text, \
         created_at, updated_at, version)",
        rows,
    )?;
    insert_rows(conn, "INSERT INTO proposal_tags (proposal_id, tag)", tags)
}
