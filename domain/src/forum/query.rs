//! The read side of forums: lists, search and outcomes. Queries run outside any unit of work.

use chrono::{DateTime, Utc};

use super::outcome::ForumOutcome;
use super::{Forum, ForumId, ForumKind, ForumMode, ForumStatus};
use crate::organization::OrganizationId;
use crate::page::SortKey;
use crate::search::SearchQuery;
use crate::topic::TopicId;
use crate::values::Region;
use crate::{Page, PageRequest, RepoError};

/// Which drafts a list may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftVisibility {
    None,
    /// An official's: their organization's.
    Organization(OrganizationId),
    /// Moderators and admins.
    All,
}

/// When a forum takes place, relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Not yet ended.
    Upcoming,
    /// Ended.
    Past,
}

/// Filters of `GET /forums`; every `Some` narrows the list.
#[derive(Debug, Clone)]
pub struct ForumFilter {
    pub status: Option<ForumStatus>,
    pub kind: Option<ForumKind>,
    pub mode: Option<ForumMode>,
    pub region: Option<Region>,
    pub topic_id: Option<TopicId>,
    pub organization_id: Option<OrganizationId>,
    /// Starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Starting before.
    pub to: Option<DateTime<Utc>>,
    /// With the time it is relative to.
    pub when: Option<(When, DateTime<Utc>)>,
    pub search: Option<SearchQuery>,
    pub drafts: DraftVisibility,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForumSort {
    /// Soonest first.
    StartsAt,
    /// Latest created first.
    Newest,
}

pub trait ForumQueries {
    /// A page of forums; the key's value is the start in microseconds (`starts_at`) or 0 (`newest`).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_forums(
        &self,
        filter: &ForumFilter,
        sort: ForumSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<Forum, SortKey>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn forum(&self, id: ForumId) -> Result<Option<Forum>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn forum_outcome(&self, id: ForumId) -> Result<Option<ForumOutcome>, RepoError>;
}
