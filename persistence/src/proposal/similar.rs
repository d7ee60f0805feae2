//! The similar check's candidates and term counts. The scoring is the domain's (`ocf_domain::similar`).

use std::collections::{HashMap, HashSet};

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use ocf_domain::proposal::ProposalStatus;
use ocf_domain::proposal::query::{CandidateScope, ProposalSummary};

use super::list::{SummaryRow, fts_match, summary_columns, to_summary};
use crate::db::{Backend, DbConnection};
use crate::error::TxError;
use crate::fulltext::{self, common_lexemes, pg_fts};
use crate::schema::{proposals, proposals_fts};

/// PostgreSQL's full-text condition around a bound query, for the raw-SQL forms below.
const PG_FTS_BEFORE: &str = "proposals.search_vector @@ to_tsquery('simple', ";
const PG_FTS_AFTER: &str = ")";

pub(super) fn candidates(
    conn: &mut DbConnection,
    backend: Backend,
    terms: &[String],
    limit: i64,
    scope: CandidateScope,
) -> Result<Vec<ProposalSummary>, TxError> {
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
                .select(summary_columns())
                .into_boxed()
        };
    }
    let mut found: Vec<ProposalSummary> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for k in (1..=terms.len()).rev() {
        let query = fulltext::query(backend, &terms[..k]);
        let rows: Vec<SummaryRow> = match backend {
            // FTS5 drives: it yields matches in descending rowid (= seq) order, so the scan stops at
            // `limit` however common the terms are.
            Backend::Sqlite => {
                let mut q =
                    candidates!(proposals::table.inner_join(
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
                    None => q.filter(pg_fts!("proposals", query)),
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
}

pub(super) fn term_counts(
    conn: &mut DbConnection,
    backend: Backend,
    terms: &[String],
    cap: i64,
) -> Result<Vec<i64>, TxError> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // PostgreSQL: GIN builds a bitmap of every match before a LIMIT applies, so counting a common
    // term is slow (200-300 ms at 1M proposals). ANALYZE already knows the common lexemes; take
    // those from the statistics and count only the rest, which are rare and so cheap to count.
    let known = match backend {
        Backend::Postgres => common_lexemes(conn, "proposals")?,
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
                        .bind::<Text, _>(fulltext::query(backend, std::slice::from_ref(term)))
                        .bind::<BigInt, _>(cap)
                        .get_result(conn)?;
                    Ok(count.n)
                })
                .collect()
}
