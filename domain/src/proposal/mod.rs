//! Proposals: what citizens submit, the lifecycle staff move them through, supports, merging duplicates,
//! and the public timeline of every step.
//!
//! - `values`, `draft`: what a proposal is made of, and a new one's fields checked together;
//! - `lifecycle`: every change, each returning its event;
//! - `events`: the typed events and their form in the log;
//! - `repository`: what a unit of work stores; `query`: the read side (lists, search, timelines);
//! - `service`: the use cases the API calls, one per operation.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::UserId;
use crate::macros::code_enum;
use crate::policy_area::PolicyAreaId;

mod draft;
mod events;
mod lifecycle;
pub mod query;
mod repository;
pub mod service;
#[cfg(test)]
mod tests;

pub use crate::actor::ActorRole;
pub use crate::values::{Body, Reason, Region, Tag, Tags, Title};
pub use draft::{NewProposalInput, ProposalDraft};
pub use events::{EventKind, ProposalEvent, ReferralStep};
pub use lifecycle::{ProposalEdit, ProposalError};
pub use repository::ProposalStore;

pub type ProposalId = Id<Proposal>;

/// How far back "trending" looks: supports gained in the last 7 days.
pub const TRENDING_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// Supports given after this moment count towards the trending score at `now`.
pub fn trending_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - TRENDING_WINDOW
}

code_enum!(
    /// A proposal's place in the funnel.
    ProposalStatus, "status", {
    Submitted = "submitted", UnderReview = "under_review", Selected = "selected", Rejected = "rejected",
    Merged = "merged", Referred = "referred", Answered = "answered", Implemented = "implemented",
    Withdrawn = "withdrawn",
});

impl ProposalStatus {
    /// Statuses in which a proposal can gain supports (and be a merge target).
    pub const OPEN: &'static [ProposalStatus] = &[
        Self::Submitted,
        Self::UnderReview,
        Self::Selected,
        Self::Referred,
        Self::Answered,
        Self::Implemented,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

/// The channel a proposal came in through. `web` is this API's own; `offline` is staff entering ideas
/// sent by post or handed in; `offline_forum` is staff entering a forum's paper cards and table notes
/// (linked to the forum); partner platforms are `partner:<code>` (People's Idea Box, e-People, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Channel {
    Web,
    Offline,
    OfflineForum,
    Partner(String),
}

impl Channel {
    pub fn code(&self) -> String {
        match self {
            Self::Web => "web".to_owned(),
            Self::Offline => "offline".to_owned(),
            Self::OfflineForum => "offline_forum".to_owned(),
            Self::Partner(code) => format!("partner:{code}"),
        }
    }

    /// # Errors
    /// A message for anything but `web`, `offline`, `offline_forum` or `partner:<code>`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "web" => Ok(Self::Web),
            "offline" => Ok(Self::Offline),
            "offline_forum" => Ok(Self::OfflineForum),
            other => match other.strip_prefix("partner:") {
                Some(code)
                    if !code.is_empty()
                        && code.len() <= 40
                        && code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    Ok(Self::Partner(code.to_owned()))
                }
                _ => Err(format!(
                    "unknown channel '{other}'; expected web, offline, offline_forum or partner:<code>"
                )),
            },
        }
    }
}

/// Who entered a proposal on a participant's behalf (a forum's paper cards and table notes), and when:
/// for staff only. The participant's name is optional and never public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineEntry {
    pub entered_by: UserId,
    pub entered_at: DateTime<Utc>,
    /// 1-100 characters, if the participant gave it.
    pub participant_name: Option<String>,
}

/// A proposal as stored, field by field: what an adapter reads and writes. Only [`Proposal::restore`]
/// turns one into a proposal; changes go through the lifecycle methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub id: ProposalId,
    pub author_id: UserId,
    pub title: Title,
    pub body: Body,
    pub policy_area_id: PolicyAreaId,
    pub region: Option<Region>,
    pub tags: Tags,
    /// The topic this proposal answers, if any.
    pub topic_id: Option<String>,
    /// The forum this proposal came out of, if any (forums are their own aggregate).
    pub forum_id: Option<String>,
    pub channel: Channel,
    pub status: ProposalStatus,
    /// Hidden by moderation: a flag, not a status.
    pub hidden: bool,
    pub merged_into: Option<ProposalId>,
    pub support_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change; saving checks it (optimistic concurrency).
    pub version: i64,
}

/// A proposal. Its fields are private: read them through the getters, change them through the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal(ProposalRecord);

macro_rules! getters {
    (copy { $($f:ident: $t:ty),* $(,)? } ref { $($r:ident: $rt:ty),* $(,)? }) => {
        impl Proposal {
            $(pub fn $f(&self) -> $t { self.0.$f })*
            $(pub fn $r(&self) -> &$rt { &self.0.$r })*
        }
    };
}

getters!(
    copy {
        id: ProposalId, author_id: UserId, policy_area_id: PolicyAreaId, region: Option<Region>,
        status: ProposalStatus, hidden: bool, merged_into: Option<ProposalId>, support_count: i64,
        created_at: DateTime<Utc>, updated_at: DateTime<Utc>, version: i64,
    }
    ref {
        title: Title, body: Body, tags: Tags, topic_id: Option<String>, forum_id: Option<String>,
        channel: Channel,
    }
);

impl Proposal {
    /// A proposal read back from storage.
    pub fn restore(record: ProposalRecord) -> Self {
        Self(record)
    }

    /// Every field, for an adapter to store.
    pub fn record(&self) -> &ProposalRecord {
        &self.0
    }

    /// Every field, by value (for a response built from it).
    pub fn into_record(self) -> ProposalRecord {
        self.0
    }
}
