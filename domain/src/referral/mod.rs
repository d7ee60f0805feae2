//! The referral ledger: a selected proposal or a reported forum outcome sent to a competent organization
//! as an official document, with a number, a deadline, the organization's receipt, answer, follow-ups and
//! commitments, at most one extension per hop, transfers (one referral, many hops) and completion.
//!
//! - `deadline`: due dates at the end of a day in Asia/Seoul;
//! - `input`, `follow_up`: each step's fields, checked together;
//! - `lifecycle`: every step, each returning its event;
//! - `repository`: what a unit of work stores; `query`: lists and reads;
//! - `service`: the use cases, one per operation.

use chrono::{DateTime, NaiveDate, Utc};

use crate::Id;
use crate::account::UserId;
use crate::event::AggregateKind;
use crate::macros::code_enum;
use crate::organization::OrganizationId;

pub mod deadline;
mod follow_up;
mod input;
mod lifecycle;
pub mod query;
mod repository;
pub mod service;
#[cfg(test)]
mod tests;

pub use follow_up::{CommitmentInput, FollowUpDraft, FollowUpInput, ParticipantInput};
pub use input::{
    AcknowledgeInput, Acknowledgement, Answer, AnswerInput, Completion, CompletionInput,
    ExtensionInput, NewReferral, NewReferralInput, TransferInput,
};
pub use lifecycle::ReferralError;
pub use repository::ReferralStore;

pub type ReferralId = Id<Referral>;
pub type FollowUpId = Id<FollowUp>;
pub type CommitmentId = Id<Commitment>;

/// At most this many participants are recorded for one meeting.
pub const MAX_PARTICIPANTS: usize = 50;
/// At most this many commitments come out of one follow-up.
pub const MAX_COMMITMENTS: usize = 20;

code_enum!(
    /// Where a referral stands: `sent -> acknowledged -> answered -> implemented`; an answer of
    /// `not_accepted` closes it (`closed`); a transfer sends it again (`sent`) to the next organization.
    ReferralStatus, "status", {
    Sent = "sent", Acknowledged = "acknowledged", Answered = "answered", Implemented = "implemented",
    Closed = "closed",
});

impl ReferralStatus {
    /// Statuses in which the subject is still with an organization (at most one referral per subject).
    pub const OPEN: &'static [ReferralStatus] = &[Self::Sent, Self::Acknowledged, Self::Answered];

    /// Sent or acknowledged: the organization has not answered yet (overdue once past its due date).
    pub fn awaits_answer(self) -> bool {
        matches!(self, Self::Sent | Self::Acknowledged)
    }
}

code_enum!(
    /// What is referred: a selected proposal, or a reported forum's outcome.
    SubjectKind, "subject kind", {
    Proposal = "proposal", Forum = "forum",
});

impl SubjectKind {
    /// The aggregate whose timeline shows the referral's steps.
    pub fn aggregate(self) -> AggregateKind {
        match self {
            Self::Proposal => AggregateKind::Proposal,
            Self::Forum => AggregateKind::Forum,
        }
    }
}

code_enum!(
    /// The organization's answer.
    Decision, "decision", {
    Accepted = "accepted", PartiallyAccepted = "partially_accepted", NotAccepted = "not_accepted",
});

code_enum!(
    /// Where a commitment made at a follow-up stands.
    CommitmentStatus, "commitment status", {
    Planned = "planned", InProgress = "in_progress", Done = "done", Dropped = "dropped",
});

/// One organization's turn with the referral: the first hop is the sending, each transfer adds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub organization_id: OrganizationId,
    /// Why it was transferred here; `None` for the first hop.
    pub reason: Option<String>,
    pub sent_at: DateTime<Utc>,
    /// The due date this hop started with (before any extension).
    pub due_at: DateTime<Utc>,
    /// Whether the organization extended the deadline during this hop.
    pub extended: bool,
}

/// A person at a follow-up meeting, by role and organization (never a citizen's identity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub role: String,
    pub organization: String,
}

/// A follow-up meeting: when, who, and its minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub held_on: NaiveDate,
    pub participants: Vec<Participant>,
    pub minutes: String,
    pub recorded_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// Something the organization committed to, with a due date and a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    pub id: CommitmentId,
    /// The follow-up it came out of.
    pub follow_up_id: FollowUpId,
    pub description: String,
    pub due_on: NaiveDate,
    pub status: CommitmentStatus,
    pub updated_at: DateTime<Utc>,
}

/// A referral as stored, field by field. Only [`Referral::restore`] turns one into a referral; changes go
/// through the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: ReferralId,
    /// `OCF-<year>-<serial>`, unique, assigned without gaps per year.
    pub number: String,
    pub year: i32,
    pub serial: i64,
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    /// The organization that holds it now (the last hop's).
    pub organization_id: OrganizationId,
    pub status: ReferralStatus,
    pub cover_note: String,
    pub sent_by: UserId,
    pub sent_at: DateTime<Utc>,
    /// The current hop's due date, extension included.
    pub due_at: DateTime<Utc>,
    /// The current hop's extension: its reason and when, if it was extended (an organization extends
    /// once, whatever the hops: see [`Referral::extended_by_holder`]).
    pub extension: Option<(String, DateTime<Utc>)>,
    pub acknowledgement: Option<Acknowledgement>,
    pub answer: Option<Answer>,
    pub completion: Option<Completion>,
    pub hops: Vec<Hop>,
    pub follow_ups: Vec<FollowUp>,
    pub commitments: Vec<Commitment>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change; saving checks it (optimistic concurrency).
    pub version: i64,
}

/// A referral. Read through [`Referral::record`]; change through the lifecycle methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral(ReferralRecord);

impl Referral {
    /// A referral read back from storage.
    pub fn restore(record: ReferralRecord) -> Self {
        Self(record)
    }

    pub fn record(&self) -> &ReferralRecord {
        &self.0
    }

    pub fn into_record(self) -> ReferralRecord {
        self.0
    }

    pub fn id(&self) -> ReferralId {
        self.0.id
    }

    pub fn status(&self) -> ReferralStatus {
        self.0.status
    }

    /// Whether the organization holding it has used its one extension (in this hop or an earlier one of
    /// its own: a referral transferred back does not get a second).
    pub fn extended_by_holder(&self) -> bool {
        let holder = self.0.organization_id;
        self.0
            .hops
            .iter()
            .any(|h| h.organization_id == holder && h.extended)
    }

    /// Past its due date with no answer.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.0.status.awaits_answer() && now > self.0.due_at
    }

    /// The document number of serial `serial` in `year`: `OCF-2026-000123`.
    pub fn document_number(year: i32, serial: i64) -> String {
        format!("OCF-{year}-{serial:06}")
    }
}
