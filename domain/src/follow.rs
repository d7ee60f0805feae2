//! Follows and notifications. People follow proposals, topics and forums (supporting a proposal follows
//! it, and authors follow their own); a reader of the event log turns each event that matters to people
//! into one notification per person concerned. Which events notify whom is decided here
//! ([`audience`]); finding the people and writing their notifications, set by set, is the storage's.

use chrono::{DateTime, Utc};

use crate::account::UserId;
use crate::actor::Actor;
use crate::error::UseCaseError;
use crate::event::{AggregateKind, Event, EventType, LogCursor};
use crate::macros::code_enum;
use crate::uow::UnitOfWork;
use crate::{Id, Page, PageRequest, RepoError};

code_enum!(
    /// What can be followed.
    FollowKind, "subject kind", {
    Proposal = "proposal", Topic = "topic", Forum = "forum",
});

pub trait FollowStore {
    /// Adds `user`'s follow; returns whether it is new.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn follow(
        &mut self,
        user: UserId,
        kind: FollowKind,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// Removes `user`'s follow; returns whether there was one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn unfollow(&mut self, user: UserId, kind: FollowKind, id: &str) -> Result<bool, RepoError>;
}

/// Checks that `actor` may see the subject, so nobody follows what is hidden from them (or learns it
/// exists).
fn check_visible(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    kind: FollowKind,
    raw: &str,
) -> Result<(), UseCaseError> {
    let not_found = || UseCaseError::not_found(format!("{kind} not found"));
    let id = Id::<()>::parse(raw).map_err(|_| not_found())?;
    let id = id.as_uuid();
    match kind {
        FollowKind::Proposal => {
            crate::proposal::service::load_visible(uow, Some(actor), Id::from_uuid(id)).map(drop)
        }
        FollowKind::Topic => {
            crate::topic::service::load_visible(uow, Some(actor), Id::from_uuid(id)).map(drop)
        }
        FollowKind::Forum => {
            crate::forum::service::load_visible(uow, Some(actor), Id::from_uuid(id)).map(drop)
        }
    }
}

/// Follows a subject the actor can see; idempotent (returns whether the follow is new).
///
/// # Errors
/// Not found (or hidden from the actor); storage failures.
pub fn follow(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    kind: FollowKind,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, UseCaseError> {
    check_visible(uow, actor, kind, id)?;
    Ok(uow.follows().follow(actor.user_id, kind, id, now)?)
}

/// Stops following; idempotent. A subject that does not exist is still `404`.
///
/// # Errors
/// Not found; storage failures.
pub fn unfollow(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    kind: FollowKind,
    id: &str,
) -> Result<bool, UseCaseError> {
    let removed = uow.follows().unfollow(actor.user_id, kind, id)?;
    if !removed {
        check_visible(uow, actor, kind, id)?;
    }
    Ok(removed)
}

/// A group of people an event concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Everyone who follows the subject.
    Followers(FollowKind, String),
    /// Everyone registered or waitlisted for the forum.
    Registrants(String),
    /// The person whose registration this is.
    RegistrationHolder(String),
    /// The author of the comment this comment replies to (nobody when it is not a reply).
    ParentAuthor(String),
}

/// Who an event notifies, and what the notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub audiences: Vec<Audience>,
    /// What the notification points at.
    pub subject: (AggregateKind, String),
    /// Who acted: never notified of their own act.
    pub skip: Option<UserId>,
}

fn follow_kind(kind: AggregateKind) -> Option<FollowKind> {
    match kind {
        AggregateKind::Proposal => Some(FollowKind::Proposal),
        AggregateKind::Topic => Some(FollowKind::Topic),
        AggregateKind::Forum => Some(FollowKind::Forum),
        _ => None,
    }
}

/// The rule of notifications: a proposal's or topic's status change (withdrawals and merges included;
/// the moves a referral makes are told by the referral's step instead);
/// a referral sent, answered, transferred or completed (to the followers of its proposal or forum); a
/// forum's status change (and, to those registered, its cancellation) or new time; a place from the
/// waitlist; a reply to one's comment. Everything else notifies nobody.
pub fn audience(e: &Event) -> Option<Delivery> {
    use EventType as T;
    let own = (e.aggregate, e.aggregate_id.clone());
    let followers = |kind: FollowKind| Audience::Followers(kind, e.aggregate_id.clone());
    let (audiences, subject) = match e.event_type {
        // `referred`, `answered` and `implemented` only ever follow from a referral's step, whose own
        // event (`referral.sent`, `answered`, `completed`) tells the same people: one notification each.
        T::ProposalStatusChanged
            if matches!(
                e.payload.to_status.as_deref(),
                Some("referred" | "answered" | "implemented")
            ) =>
        {
            return None;
        }
        T::ProposalStatusChanged | T::ProposalWithdrawn | T::ProposalMerged => {
            (vec![followers(FollowKind::Proposal)], own)
        }
        T::TopicStatusChanged => (vec![followers(FollowKind::Topic)], own),
        T::ReferralSent | T::ReferralAnswered | T::ReferralTransferred | T::ReferralCompleted => {
            let (kind, id) = e.about.clone()?;
            (
                vec![Audience::Followers(follow_kind(kind)?, id.clone())],
                (kind, id),
            )
        }
        T::ForumStatusChanged => {
            let mut a = vec![followers(FollowKind::Forum)];
            if e.payload.to_status.as_deref() == Some("cancelled") {
                a.push(Audience::Registrants(e.aggregate_id.clone()));
            }
            (a, own)
        }
        T::ForumRescheduled => (
            vec![
                followers(FollowKind::Forum),
                Audience::Registrants(e.aggregate_id.clone()),
            ],
            own,
        ),
        T::RegistrationPromoted => (
            vec![Audience::RegistrationHolder(e.aggregate_id.clone())],
            (AggregateKind::Forum, e.payload.related_id.clone()?),
        ),
        T::CommentPosted => (vec![Audience::ParentAuthor(e.aggregate_id.clone())], own),
        _ => return None,
    };
    // A promotion is made by whoever freed the seat, never by the person promoted: always tell them.
    let skip = (e.event_type != T::RegistrationPromoted)
        .then_some(e.actor_id)
        .flatten();
    Some(Delivery {
        audiences,
        subject,
        skip,
    })
}

/// One thing that happened, told to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Its place among everyone's notifications (grows; the API's id).
    pub id: i64,
    pub event_type: EventType,
    pub subject: (AggregateKind, String),
    /// The referral, for a referral's step.
    pub referral_id: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// A referral's answer.
    pub decision: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// Where a page of notifications ends: unread ones come first, newest first within each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationKey {
    pub read: bool,
    pub position: i64,
}

/// Which notifications to mark read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkRead {
    All,
    Ids(Vec<i64>),
}

/// The name of the notification job's cursor (`LogReaders`).
pub const NOTIFY_READER: &str = "notifications";

/// The read and write side of notifications (outside any unit of work).
pub trait Notifications {
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn notifications(
        &self,
        user: UserId,
        page: &PageRequest<NotificationKey>,
    ) -> Result<Page<Notification, NotificationKey>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn unread_count(&self, user: UserId) -> Result<i64, RepoError>;

    /// Marks `user`'s notifications read; returns how many changed. Ids of others are ignored.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn mark_read(
        &self,
        user: UserId,
        which: &MarkRead,
        now: DateTime<Utc>,
    ) -> Result<i64, RepoError>;

    /// Writes the notifications of a batch of events read after `from`, each with its delivery, and
    /// moves the reader's cursor ([`NOTIFY_READER`]) to `to`, in one transaction: after a crash the batch is either all
    /// there or not at all, so it is neither lost nor doubled. When the cursor is no longer at `from`
    /// (another instance did the batch), writes nothing and returns `None`; else how many notifications
    /// were written.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn fan_out(
        &self,
        batch: &[(i64, &Event, Delivery)],
        from: LogCursor,
        to: LogCursor,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, RepoError>;
}
