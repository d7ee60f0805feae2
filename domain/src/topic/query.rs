//! The read side of topics: lists, search and votes. Queries run outside any unit of work.

use chrono::{DateTime, Utc};

use super::{Topic, TopicId, TopicStatus};
use crate::account::UserId;
use crate::actor::Visibility;
use crate::page::SortKey;
use crate::policy_area::PolicyAreaId;
use crate::search::SearchQuery;
use crate::values::Region;
use crate::{Page, PageRequest, RepoError};

/// Filters of `GET /topics`; every `Some` narrows the list.
#[derive(Debug, Clone)]
pub struct TopicFilter {
    pub status: Option<TopicStatus>,
    pub policy_area_id: Option<PolicyAreaId>,
    pub region: Option<Region>,
    pub tag: Option<String>,
    pub search: Option<SearchQuery>,
    /// Which hidden topics may show.
    pub visibility: Visibility,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicSort {
    /// Most votes first.
    MostVoted,
    /// Newest first.
    Newest,
    /// Most votes gained in the trending window first.
    Trending,
}

/// A topic as lists show it: the description cut to an excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSummary {
    pub id: TopicId,
    pub title: String,
    /// The first [`crate::proposal::query::EXCERPT_CHARS`] characters of the description.
    pub excerpt: String,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub tags: Vec<String>,
    pub status: TopicStatus,
    pub hidden: bool,
    pub vote_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub trait TopicQueries {
    /// A page of topics.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_topics(
        &self,
        filter: &TopicFilter,
        sort: TopicSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<TopicSummary, SortKey>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn topic(&self, id: TopicId) -> Result<Option<Topic>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn voted(&self, id: TopicId, user: UserId) -> Result<bool, RepoError>;

    /// Recomputes the topics' trending scores (votes given after `since`) that have gone stale.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn refresh_topic_trending(&self, since: DateTime<Utc>) -> Result<usize, RepoError>;
}
