//! Proposals in storage: `write` is what a unit of work stores (`ProposalStore`), `list` and `similar` the
//! read side (`ProposalQueries`). Full-text SQL is in `crate::fulltext`; supports in `crate::endorsement`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::proposal::query::{
    CandidateScope, ProposalFilter, ProposalKey, ProposalQueries, ProposalSort, ProposalSummary,
};
use ocf_domain::proposal::{
    Body, Channel, Proposal, ProposalId, ProposalRecord, ProposalStatus, Tags, Title,
};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Database, DbConnection};
use crate::endorsement::Endorsements;
use crate::error::{TxError, corrupt};
use crate::fulltext::{split_tags, status_list};
use crate::schema::proposals;
use crate::time::from_db;

mod list;
mod similar;
mod write;

/// Supports: one per person and proposal, counted on the proposal.
pub(crate) const SUPPORTS: Endorsements = Endorsements {
    table: "supports",
    subject: "proposals",
    key: "proposal_id",
    counter: "support_count",
    open: open_statuses,
    follows: Some("proposal"),
};

/// Whether `user` supports the proposal: a typed query, so each connection prepares it once (it runs on
/// every signed-in read of a proposal).
fn supported(conn: &mut DbConnection, id: ProposalId, user: UserId) -> Result<bool, TxError> {
    use crate::schema::supports;
    let n: i64 = supports::table
        .filter(supports::proposal_id.eq(id.to_string()))
        .filter(supports::user_id.eq(user.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn open_statuses() -> String {
    status_list(ProposalStatus::OPEN.iter().map(|s| s.as_str()))
}

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

fn to_proposal(r: ProposalRow) -> Result<Proposal, TxError> {
    let tags = split_tags(&r.tags);
    let c = |what: &'static str| move |e: String| corrupt(what, e);
    Ok(Proposal::restore(ProposalRecord {
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
    }))
}

pub(super) fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Proposal>, TxError> {
    let row = proposals::table
        .filter(proposals::id.eq(id))
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?;
    row.map(to_proposal).transpose()
}

impl ProposalQueries for Database {
    fn list_proposals(
        &self,
        filter: &ProposalFilter,
        sort: ProposalSort,
        page: &PageRequest<ProposalKey>,
    ) -> Result<Page<ProposalSummary, ProposalKey>, RepoError> {
        let backend = self.backend();
        self.read(|conn| list::list(conn, backend, filter, sort, page))
    }

    fn similar_candidates(
        &self,
        terms: &[String],
        limit: i64,
        scope: CandidateScope,
    ) -> Result<Vec<ProposalSummary>, RepoError> {
        let backend = self.backend();
        self.read(|conn| similar::candidates(conn, backend, terms, limit, scope))
    }

    fn term_counts(&self, terms: &[String], cap: i64) -> Result<Vec<i64>, RepoError> {
        let backend = self.backend();
        self.read(|conn| similar::term_counts(conn, backend, terms, cap))
    }

    fn proposal(&self, id: ProposalId) -> Result<Option<Proposal>, RepoError> {
        self.read(|conn| load(conn, &id.to_string()))
    }

    fn supports(&self, id: ProposalId, user: UserId) -> Result<bool, RepoError> {
        self.read(|conn| supported(conn, id, user))
    }

    fn offline_entry(
        &self,
        id: ProposalId,
    ) -> Result<Option<ocf_domain::proposal::OfflineEntry>, RepoError> {
        use crate::schema::proposal_entries as pe;
        self.read(|conn| {
            let row: Option<(String, NaiveDateTime, Option<String>)> = pe::table
                .filter(pe::proposal_id.eq(id.to_string()))
                .select((pe::entered_by, pe::entered_at, pe::participant_name))
                .first(conn)
                .optional()?;
            row.map(|(by, at, name)| {
                Ok(ocf_domain::proposal::OfflineEntry {
                    entered_by: Id::parse(&by).map_err(|e| corrupt("entry author", e))?,
                    entered_at: from_db(at),
                    participant_name: name,
                })
            })
            .transpose()
        })
    }

    fn refresh_trending(&self, since: DateTime<Utc>) -> Result<usize, RepoError> {
        self.write(|conn| SUPPORTS.refresh_trending(conn, since))
    }
}
