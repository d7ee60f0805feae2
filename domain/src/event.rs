//! The event log: every state change a use case makes is recorded as one [`Event`], appended in the same
//! transaction as the change. Timelines, live streams, webhooks, notifications and statistics each read the
//! log by position. The names of [`EventType`] are a public contract (see `docs/EVENTS.md`): never rename
//! one, add a new one.

use chrono::{DateTime, Utc};

use crate::account::UserId;
use crate::actor::ActorRole;
use crate::forum::ForumId;
use crate::macros::code_enum;
use crate::{Id, Page, PageRequest, RepoError};

code_enum!(
    /// What kind of thing an event is about.
    AggregateKind, "aggregate", {
    Proposal = "proposal", Topic = "topic", Report = "report", Forum = "forum",
    Registration = "registration", Comment = "comment", Referral = "referral", Channel = "channel",
});

code_enum!(
    /// What happened, as `<aggregate>.<change>`.
    EventType, "event type", {
    ProposalSubmitted = "proposal.submitted",
    ProposalEdited = "proposal.edited",
    ProposalStatusChanged = "proposal.status_changed",
    ProposalWithdrawn = "proposal.withdrawn",
    ProposalMerged = "proposal.merged",
    ProposalAbsorbed = "proposal.absorbed",
    ProposalHidden = "proposal.hidden",
    ProposalUnhidden = "proposal.unhidden",
    TopicSuggested = "topic.suggested",
    TopicEdited = "topic.edited",
    TopicStatusChanged = "topic.status_changed",
    TopicHidden = "topic.hidden",
    TopicUnhidden = "topic.unhidden",
    ReportFiled = "report.filed",
    ReportResolved = "report.resolved",
    ForumCreated = "forum.created",
    ForumEdited = "forum.edited",
    ForumStatusChanged = "forum.status_changed",
    ForumTopicLinked = "forum.topic_linked",
    ForumOutcomePublished = "forum.outcome_published",
    ForumOutcomeUpdated = "forum.outcome_updated",
    ForumAgendaAdvanced = "forum.agenda_advanced",
    ForumRescheduled = "forum.rescheduled",
    RegistrationRegistered = "registration.registered",
    RegistrationWaitlisted = "registration.waitlisted",
    RegistrationPromoted = "registration.promoted",
    RegistrationCancelled = "registration.cancelled",
    RegistrationAttended = "registration.attended",
    RegistrationAbsent = "registration.absent",
    CommentPosted = "comment.posted",
    CommentEdited = "comment.edited",
    CommentDeleted = "comment.deleted",
    CommentHidden = "comment.hidden",
    CommentUnhidden = "comment.unhidden",
    CommentQuestionVoted = "comment.question_voted",
    CommentQuestionUnvoted = "comment.question_unvoted",
    CommentQuestionStatusChanged = "comment.question_status_changed",
    ReferralSent = "referral.sent",
    ReferralAcknowledged = "referral.acknowledged",
    ReferralAnswered = "referral.answered",
    ReferralFollowedUp = "referral.followed_up",
    ReferralCommitmentUpdated = "referral.commitment_updated",
    ReferralExtended = "referral.extended",
    ReferralTransferred = "referral.transferred",
    ReferralCompleted = "referral.completed",
    ChannelRecordUpdated = "channel.record_updated",
    ChannelRecordLinked = "channel.record_linked",
});

impl EventType {
    /// The aggregate the event belongs to (the part before the dot).
    pub fn aggregate(self) -> AggregateKind {
        let prefix = self.as_str().split('.').next().unwrap_or_default();
        AggregateKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == prefix)
            .unwrap_or(AggregateKind::Proposal)
    }

    /// The change within the aggregate (the part after the dot), as timelines name it.
    pub fn change(self) -> &'static str {
        self.as_str().split_once('.').map_or("", |(_, c)| c)
    }

    /// The event of `aggregate` whose change is `change`, if there is one.
    pub fn of(aggregate: AggregateKind, change: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.aggregate() == aggregate && t.change() == change)
    }
}

/// What an event carries besides its envelope. Every field is optional; each event type documents which
/// it sets (`docs/EVENTS.md`). Stored as a JSON object without its `null` members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPayload {
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// The public reason given (staff decisions); never a reporter's private text.
    pub reason: Option<String>,
    /// Another aggregate the change relates to (the survivor of a merge, the target of a report).
    pub related_id: Option<String>,
    /// The kind of `related_id` when it is not the event's own aggregate kind.
    pub related_kind: Option<String>,
    /// A quantity (supports moved by a merge, reports that triggered a hide, a question's votes).
    pub count: Option<i64>,
    /// The forum's agenda item now under way (0-based).
    pub agenda_item: Option<i64>,
    /// A referral's answer: `accepted`, `partially_accepted` or `not_accepted`.
    pub decision: Option<String>,
    /// The commitment a referral's step changed.
    pub commitment_id: Option<String>,
}

pub type EventId = Id<Event>;

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: EventId,
    pub aggregate: AggregateKind,
    pub aggregate_id: String,
    pub event_type: EventType,
    /// How the public record names who acted.
    pub actor_role: ActorRole,
    /// Who acted; kept for audits and notifications, never shown publicly.
    pub actor_id: Option<UserId>,
    pub occurred_at: DateTime<Utc>,
    pub payload: EventPayload,
    /// The forum whose live stream carries this event (`docs/EVENTS.md`, "Live streams").
    pub forum: Option<ForumId>,
    /// Another aggregate whose timeline also shows this event (a referral's step appears on its
    /// proposal's or forum's timeline).
    pub about: Option<(AggregateKind, String)>,
}

impl Event {
    pub fn new(
        event_type: EventType,
        aggregate_id: impl ToString,
        actor_role: ActorRole,
        actor_id: Option<UserId>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Id::generate(),
            aggregate: event_type.aggregate(),
            aggregate_id: aggregate_id.to_string(),
            event_type,
            actor_role,
            actor_id,
            occurred_at: at,
            payload: EventPayload::default(),
            forum: None,
            about: None,
        }
    }

    pub fn with_payload(mut self, payload: EventPayload) -> Self {
        self.payload = payload;
        self
    }

    /// Shows the event on the timeline of `kind` `id` too.
    pub fn about(mut self, kind: AggregateKind, id: impl ToString) -> Self {
        self.about = Some((kind, id.to_string()));
        self
    }

    /// Puts the event on `forum`'s live stream.
    pub fn in_forum(mut self, forum: Option<ForumId>) -> Self {
        self.forum = forum;
        self
    }
}

/// An event as read back: its position in the log (monotonic, gap-tolerant) and the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEvent {
    pub position: i64,
    pub event: Event,
}

/// Where a reader of the whole log stands: the last `(tx, seq)` it finished (`docs/EVENTS.md`,
/// "Position"). `tx` is PostgreSQL's transaction id of the event (0 on SQLite, where `seq` alone is safe).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogCursor {
    pub tx: i64,
    pub seq: i64,
}

/// Appends to the log, inside a unit of work.
pub trait EventLog {
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn append(&mut self, event: &Event) -> Result<(), RepoError>;

    /// Appends many, in order (an adapter may write them in fewer statements).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn append_many(&mut self, events: &[Event]) -> Result<(), RepoError> {
        events.iter().try_for_each(|e| self.append(e))
    }
}

/// Reads the log, outside any unit of work.
pub trait EventReader {
    /// The events of one aggregate, and those about it (`Event::about`), oldest first, after position
    /// `page.after`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn aggregate_events(
        &self,
        aggregate: AggregateKind,
        id: &str,
        page: &PageRequest<i64>,
    ) -> Result<Page<LoggedEvent, i64>, RepoError>;

    /// Up to `limit` events of `forum`'s live stream after position `after`, oldest first. Safe to read
    /// by position on both backends: a stream's events commit in position order (`docs/EVENTS.md`).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn forum_events(
        &self,
        forum: ForumId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LoggedEvent>, RepoError>;

    /// The position of the newest event of `forum`'s live stream (0 when it has none).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn forum_head(&self, forum: ForumId) -> Result<i64, RepoError>;

    /// Up to `limit` events of the whole log after `cursor`, in the order a reader by cursor must take
    /// them, each with its own cursor. Only final rows: no transaction still running can add one before
    /// the last returned (`docs/EVENTS.md`, "Position").
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn log_after(
        &self,
        cursor: LogCursor,
        limit: i64,
    ) -> Result<Vec<(LogCursor, LoggedEvent)>, RepoError>;

    /// The cursor of the newest final event (where a reader that skips history starts).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn log_head(&self) -> Result<LogCursor, RepoError>;
}

/// Where each reader of the whole log stands, by name (`docs/EVENTS.md`, "Readers"). A reader moves its
/// own cursor in the transaction that records its work (see `follow::Notifications::fan_out`).
pub trait LogReaders {
    /// `None` before the reader's first run.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn reader_cursor(&self, name: &str) -> Result<Option<LogCursor>, RepoError>;

    /// Places the reader at `at` on its first run; does nothing when it already has a place.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn start_reader(&self, name: &str, at: LogCursor, now: DateTime<Utc>) -> Result<(), RepoError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_names_its_aggregate_and_change() {
        for t in EventType::ALL {
            let (aggregate, change) = t.as_str().split_once('.').unwrap_or_default();
            assert_eq!(t.aggregate().as_str(), aggregate, "{t}");
            assert_eq!(t.change(), change);
            assert_eq!(EventType::of(t.aggregate(), change), Some(*t));
        }
    }
}
