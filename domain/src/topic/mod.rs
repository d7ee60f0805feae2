//! Topics: citizens' agenda setting. Chronic problems and everyday inconveniences, suggested and voted
//! on by citizens, from which the government picks forum themes.
//!
//! Built in the shape every aggregate follows (`docs/ARCHITECTURE.md`, "Adding an aggregate"):
//! `draft` (new and edited fields), `lifecycle` (each change returns its event), `repository` (what a
//! unit of work stores), `query` (the read side) and `service` (the use cases).

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::UserId;
use crate::macros::code_enum;
use crate::policy_area::PolicyAreaId;
use crate::values::{Body, Region, Tags, Title};

mod draft;
mod lifecycle;
pub mod query;
mod repository;
pub mod service;
#[cfg(test)]
mod tests;

pub use draft::{NewTopicInput, TopicDraft, TopicEdit};
pub use lifecycle::TopicError;
pub use repository::TopicStore;

pub type TopicId = Id<Topic>;

code_enum!(
    /// A topic's place on the agenda.
    TopicStatus, "status", {
    Suggested = "suggested", Shortlisted = "shortlisted", Scheduled = "scheduled",
    Discussed = "discussed", Closed = "closed", Declined = "declined",
});

impl TopicStatus {
    /// Statuses in which a topic can gain votes: until its forum takes place.
    pub const OPEN: &'static [TopicStatus] = &[Self::Suggested, Self::Shortlisted, Self::Scheduled];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

/// A topic as stored, field by field (see [`crate::proposal::ProposalRecord`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRecord {
    pub id: TopicId,
    pub author_id: UserId,
    pub title: Title,
    pub description: Body,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub tags: Tags,
    pub status: TopicStatus,
    /// Hidden by moderation: a flag, not a status.
    pub hidden: bool,
    pub vote_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change; saving checks it (optimistic concurrency).
    pub version: i64,
}

/// A topic. Read it through the getters, change it through the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic(TopicRecord);

impl Topic {
    pub fn restore(record: TopicRecord) -> Self {
        Self(record)
    }

    pub fn record(&self) -> &TopicRecord {
        &self.0
    }

    /// Every field, by value (for a response built from it).
    pub fn into_record(self) -> TopicRecord {
        self.0
    }

    pub fn id(&self) -> TopicId {
        self.0.id
    }

    pub fn author_id(&self) -> UserId {
        self.0.author_id
    }

    pub fn title(&self) -> &Title {
        &self.0.title
    }

    pub fn description(&self) -> &Body {
        &self.0.description
    }

    pub fn policy_area_id(&self) -> PolicyAreaId {
        self.0.policy_area_id
    }

    pub fn region(&self) -> Option<Region> {
        self.0.region
    }

    pub fn tags(&self) -> &Tags {
        &self.0.tags
    }

    pub fn status(&self) -> TopicStatus {
        self.0.status
    }

    pub fn hidden(&self) -> bool {
        self.0.hidden
    }

    pub fn vote_count(&self) -> i64 {
        self.0.vote_count
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    pub fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    pub fn version(&self) -> i64 {
        self.0.version
    }
}
