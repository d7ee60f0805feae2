//! The read side of proposals: lists, search, the similar check's candidates, and supports. Queries run
//! outside any unit of work (they change nothing), straight on the storage's read path.

use chrono::{DateTime, Utc};

use super::{Channel, ProposalId, ProposalStatus};
use crate::account::UserId;
use crate::actor::Visibility;
use crate::page::SortKey;
use crate::policy_area::PolicyAreaId;
use crate::search::SearchQuery;
use crate::values::Region;
use crate::{Page, PageRequest, RepoError};

/// Filters of `GET /proposals`; every `Some` narrows the list.
#[derive(Debug, Clone)]
pub struct ProposalFilter {
    pub status: Option<ProposalStatus>,
    pub policy_area_id: Option<PolicyAreaId>,
    pub region: Option<Region>,
    pub tag: Option<String>,
    pub channel: Option<Channel>,
    pub author_id: Option<UserId>,
    pub topic_id: Option<String>,
    pub forum_id: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub search: Option<SearchQuery>,
    /// Which hidden proposals may show.
    pub visibility: Visibility,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalSort {
    /// Newest first.
    Newest,
    /// Most supports first.
    MostSupported,
    /// Most supports gained in the last 7 days first.
    Trending,
    /// Most recently changed first.
    RecentlyUpdated,
}

/// Where a page of proposals ends (see [`SortKey`]).
pub type ProposalKey = SortKey;

/// A proposal as lists show it: the body cut to an excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalSummary {
    pub id: ProposalId,
    pub title: String,
    /// The first [`EXCERPT_CHARS`] characters of the body.
    pub excerpt: String,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub tags: Vec<String>,
    pub channel: Channel,
    pub status: ProposalStatus,
    pub hidden: bool,
    pub merged_into: Option<ProposalId>,
    pub support_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How much of the body a list item carries.
pub const EXCERPT_CHARS: usize = 200;

/// Where the similar check looks for candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateScope {
    /// Every proposal: the rarest term is rare, so the full-text index hands over few matches.
    All,
    /// Only the newest `n` proposals, walked newest first. Used when every term of the draft is common:
    /// an index would have to visit thousands of matches (all of them, on PostgreSQL, before the newest
    /// can be picked), while a walk in insertion order meets enough of them within a few hundred rows.
    Newest(i64),
}

impl CandidateScope {
    /// How many of the newest proposals are walked when every term is common (a few days of proposals
    /// at the 2017 channel's pace of ~3,600 a day).
    pub const RECENT: i64 = 5_000;

    /// The scope for terms whose (capped) counts are `counts`, given the counting `cap`: all proposals if
    /// one term is rarer than the cap, else the newest [`Self::RECENT`].
    pub fn for_counts(counts: &[i64], cap: i64) -> Self {
        if counts.iter().any(|n| *n < cap) {
            Self::All
        } else {
            Self::Newest(Self::RECENT)
        }
    }
}

pub trait ProposalQueries {
    /// A page of proposals.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_proposals(
        &self,
        filter: &ProposalFilter,
        sort: ProposalSort,
        page: &PageRequest<ProposalKey>,
    ) -> Result<Page<ProposalSummary, ProposalKey>, RepoError>;

    /// Up to `limit` visible, not withdrawn or merged proposals containing all of `terms` (rarest first),
    /// newest first, within `scope`; while fewer than a quarter of `limit` match, the last term is dropped
    /// and the search repeated, so a draft still finds look-alikes that share only its rarest term.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn similar_candidates(
        &self,
        terms: &[String],
        limit: i64,
        scope: CandidateScope,
    ) -> Result<Vec<ProposalSummary>, RepoError>;

    /// How many proposals contain each term, counting no further than `cap` (a cheap, bounded estimate of
    /// how common a term is), in the order of `terms`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn term_counts(&self, terms: &[String], cap: i64) -> Result<Vec<i64>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn proposal(&self, id: ProposalId) -> Result<Option<super::Proposal>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn supports(&self, id: ProposalId, user: UserId) -> Result<bool, RepoError>;

    /// Recomputes the trending scores (supports given after `since`) that have gone stale; returns how
    /// many changed.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn refresh_trending(&self, since: DateTime<Utc>) -> Result<usize, RepoError>;

    /// Who entered the proposal on a participant's behalf, if staff did.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn offline_entry(&self, id: ProposalId) -> Result<Option<super::OfflineEntry>, RepoError>;
}
