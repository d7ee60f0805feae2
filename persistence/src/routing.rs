//! The suggested competent organization's counts (`ocf_domain::routing`): learned by the routing job
//! from the log, read per ranking with one lookup of the document's terms.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use ocf_domain::event::LogCursor;
use ocf_domain::organization::OrganizationId;
use ocf_domain::ports::{ROUTING_READER, RoutingStore};
use ocf_domain::routing::OrganizationStats;
use ocf_domain::{Id, RepoError};

use crate::db::Database;
use crate::error::{TxError, corrupt};
use crate::schema::{routing_documents, routing_terms};

impl RoutingStore for Database {
    fn routing_stats(
        &self,
        terms: &[String],
    ) -> Result<(Vec<OrganizationStats<OrganizationId>>, i64), RepoError> {
        self.read(|conn| {
            let docs: Vec<(String, i64, i64)> = routing_documents::table
                .select((
                    routing_documents::organization_id,
                    routing_documents::documents,
                    routing_documents::term_total,
                ))
                .order(routing_documents::organization_id)
                .load(conn)?;
            let counts: Vec<(String, String, i64)> = routing_terms::table
                .filter(routing_terms::term.eq_any(terms))
                .select((
                    routing_terms::organization_id,
                    routing_terms::term,
                    routing_terms::documents,
                ))
                .load(conn)?;
            let vocabulary: i64 = routing_terms::table
                .select(diesel::dsl::count(routing_terms::term).aggregate_distinct())
                .first(conn)?;
            let mut by_org: HashMap<String, HashMap<String, i64>> = HashMap::new();
            for (org, term, n) in counts {
                by_org.entry(org).or_default().insert(term, n);
            }
            let stats = docs
                .into_iter()
                .map(|(org, documents, term_total)| {
                    Ok(OrganizationStats {
                        organization: Id::parse(&org)
                            .map_err(|e| corrupt("routing organization", e))?,
                        documents,
                        term_total,
                        term_counts: by_org.remove(&org).unwrap_or_default(),
                    })
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            Ok((stats, vocabulary))
        })
    }

    fn learn(
        &self,
        kept: &[(OrganizationId, Vec<String>)],
        from: LogCursor,
        to: LogCursor,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, RepoError> {
        self.write(|conn| {
            if !crate::readers::advance(conn, ROUTING_READER, from, to, now)? {
                return Ok(None);
            }
            for (org, terms) in kept {
                let org = org.to_string();
                diesel::sql_query(
                    "INSERT INTO routing_documents (organization_id, documents, term_total) \
                     VALUES ($1, 1, $2) ON CONFLICT (organization_id) DO UPDATE SET \
                     documents = routing_documents.documents + 1, \
                     term_total = routing_documents.term_total + excluded.term_total",
                )
                .bind::<Text, _>(&org)
                .bind::<BigInt, _>(terms.len() as i64)
                .execute(conn)?;
                for term in terms {
                    diesel::sql_query(
                        "INSERT INTO routing_terms (term, organization_id, documents) \
                         VALUES ($1, $2, 1) ON CONFLICT (term, organization_id) DO UPDATE SET \
                         documents = routing_terms.documents + 1",
                    )
                    .bind::<Text, _>(term)
                    .bind::<Text, _>(&org)
                    .execute(conn)?;
                }
            }
            Ok(Some(kept.len()))
        })
    }
}
