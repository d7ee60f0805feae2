//! Forums: the open communication forums, regional conferences and policy conferences the government
//! holds on a topic, off-line, on-line or both, with a panel, an agenda, registrations with a waitlist and
//! an outcome report.
//!
//! Built in the shape of topics (`docs/ARCHITECTURE.md`, "Adding an aggregate"): `draft` (the fields and
//! their rules), `lifecycle` (each change returns its events), `registration` (seats and the waitlist),
//! `outcome` (what the forum produced), `repository`, `query` and `service`.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::UserId;
use crate::macros::code_enum;
use crate::organization::OrganizationId;
use crate::policy_area::PolicyAreaId;
use crate::topic::TopicId;
use crate::values::{Body, Title};

mod draft;
mod edit;
mod lifecycle;
pub mod live;
pub mod outcome;
pub mod query;
pub mod registration;
mod repository;
pub mod service;
#[cfg(test)]
mod tests;

pub use draft::{
    AgendaInput, AgendaItem, ForumDraft, ForumSchedule, LivestreamUrl, MAX_AGENDA, MAX_CAPACITY,
    MAX_DURATION_DAYS, MAX_PANEL, MAX_TOPICS, NewForumInput, Speaker, SpeakerInput, Venue,
    VenueInput,
};
pub use edit::{ForumEdit, ForumEditInput};
pub use lifecycle::ForumError;
pub use repository::ForumStore;

pub type ForumId = Id<Forum>;

code_enum!(
    /// What kind of forum it is.
    ForumKind, "kind", {
    OpenForum = "open_forum", RegionalConference = "regional_conference",
    PolicyConference = "policy_conference",
});

code_enum!(
    /// Where it takes place: in a room, on the stream, or both.
    ForumMode, "mode", {
    Offline = "offline", Online = "online", Hybrid = "hybrid",
});

impl ForumMode {
    /// Offline and hybrid forums need a venue; online ones must not have one.
    pub fn has_venue(self) -> bool {
        self != Self::Online
    }

    /// Online and hybrid forums need a livestream before they go live.
    pub fn streams(self) -> bool {
        self != Self::Offline
    }
}

code_enum!(
    /// A forum's lifecycle: `draft -> scheduled -> live -> ended -> reported`, or `cancelled` before `live`.
    ForumStatus, "status", {
    Draft = "draft", Scheduled = "scheduled", Live = "live", Ended = "ended",
    Reported = "reported", Cancelled = "cancelled",
});

impl ForumStatus {
    /// Once live, the forum has happened: its start, mode, venue and seats are history.
    pub fn has_started(self) -> bool {
        matches!(self, Self::Live | Self::Ended | Self::Reported)
    }

    /// Nothing more happens to a reported or cancelled forum.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Reported | Self::Cancelled)
    }
}

code_enum!(
    /// What a panel member speaks as.
    SpeakerRole, "speaker role", {
    Citizen = "citizen", Expert = "expert", Official = "official", Facilitator = "facilitator",
});

/// The seat counts, kept on the forum by every registration change (exact under concurrency: each
/// change holds the forum).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seats {
    pub registered: i64,
    pub waitlisted: i64,
    pub attended: i64,
}

/// A forum as stored, field by field (see [`crate::proposal::ProposalRecord`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForumRecord {
    pub id: ForumId,
    /// The hosting organization: its officials manage the forum.
    pub organization_id: OrganizationId,
    pub created_by: UserId,
    pub kind: ForumKind,
    pub mode: ForumMode,
    pub title: Title,
    pub description: Body,
    pub policy_area_id: PolicyAreaId,
    /// Linked topics, in the order they were linked.
    pub topic_ids: Vec<TopicId>,
    pub venue: Option<Venue>,
    pub schedule: ForumSchedule,
    /// Seats; `None` is no limit (an online forum).
    pub capacity: Option<i64>,
    pub livestream_url: Option<LivestreamUrl>,
    pub panel: Vec<Speaker>,
    pub agenda: Vec<AgendaItem>,
    pub status: ForumStatus,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    pub seats: Seats,
    /// The outcome report's id, once there is one.
    pub outcome_id: Option<String>,
    /// When the forum went live (stream offsets count from here).
    pub live_at: Option<DateTime<Utc>>,
    /// The agenda item under way while live (0-based).
    pub agenda_current: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change; saving checks it (optimistic concurrency).
    pub version: i64,
}

/// A forum. Read it through [`Forum::record`], change it through the lifecycle. The second field is
/// the version it was read at: however many changes a use case makes, it saves one new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forum(ForumRecord, i64);

impl Forum {
    pub fn restore(record: ForumRecord) -> Self {
        let version = record.version;
        Self(record, version)
    }

    pub fn record(&self) -> &ForumRecord {
        &self.0
    }

    /// The version it was read at: saving checks nobody saved another since.
    pub fn read_version(&self) -> i64 {
        self.1
    }

    pub fn into_record(self) -> ForumRecord {
        self.0
    }

    pub fn id(&self) -> ForumId {
        self.0.id
    }

    pub fn status(&self) -> ForumStatus {
        self.0.status
    }

    pub fn organization_id(&self) -> OrganizationId {
        self.0.organization_id
    }

    pub fn seats(&self) -> Seats {
        self.0.seats
    }

    pub fn capacity(&self) -> Option<i64> {
        self.0.capacity
    }

    /// Seats still free; `None` without a limit.
    pub fn seats_left(&self) -> Option<i64> {
        self.0
            .capacity
            .map(|c| (c - self.0.seats.registered).max(0))
    }

    pub fn agenda(&self) -> &[AgendaItem] {
        &self.0.agenda
    }
}
