//! Every change a topic can go through, each returning the event its timeline shows:
//! `suggested -> shortlisted -> scheduled -> discussed -> closed`, or `declined` (with a reason) from
//! `suggested` or `shortlisted`. Staff move it; its author edits it while it is `suggested`.

use chrono::{DateTime, Utc};

use super::{Topic, TopicDraft, TopicEdit, TopicRecord, TopicStatus};
use crate::Id;
use crate::account::UserId;
use crate::actor::{ActorRole, Visibility};
use crate::event::{Event, EventPayload, EventType};
use crate::policy_area::PolicyAreaId;
use crate::values::Reason;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicError {
    #[error("only the author may do this")]
    NotAuthor,
    #[error("a topic can be edited only while suggested; this one is {status}")]
    NotEditable { status: TopicStatus },
    #[error("a topic cannot go from {from} to {to}")]
    InvalidTransition { from: TopicStatus, to: TopicStatus },
    #[error("a reason is required to decline a topic")]
    ReasonRequired,
    #[error("authors cannot vote on their own topic")]
    OwnTopic,
    #[error("a {status} topic cannot gain votes")]
    NotOpen { status: TopicStatus },
}

impl Topic {
    fn touch(&mut self, now: DateTime<Utc>) {
        self.0.updated_at = now;
        self.0.version += 1;
    }

    fn event(
        &self,
        event_type: EventType,
        role: ActorRole,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Event {
        Event::new(event_type, self.0.id, role, actor, now)
    }

    /// A new topic: `suggested`, with its first event.
    pub fn suggest(
        author: UserId,
        draft: TopicDraft,
        policy_area_id: PolicyAreaId,
        now: DateTime<Utc>,
    ) -> (Self, Event) {
        let topic = Self(TopicRecord {
            id: Id::generate(),
            author_id: author,
            title: draft.title,
            description: draft.body,
            policy_area_id,
            region: draft.region,
            tags: draft.tags,
            status: TopicStatus::Suggested,
            hidden: false,
            vote_count: 0,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        let event = topic
            .event(
                EventType::TopicSuggested,
                ActorRole::Author,
                Some(author),
                now,
            )
            .with_payload(EventPayload {
                to_status: Some(TopicStatus::Suggested.as_str().to_owned()),
                ..EventPayload::default()
            });
        (topic, event)
    }

    /// The author changes the text while it is `suggested`.
    ///
    /// # Errors
    /// [`TopicError::NotAuthor`], [`TopicError::NotEditable`].
    pub fn edit(
        &mut self,
        by: UserId,
        edit: TopicEdit,
        now: DateTime<Utc>,
    ) -> Result<Event, TopicError> {
        if by != self.0.author_id {
            return Err(TopicError::NotAuthor);
        }
        if self.0.status != TopicStatus::Suggested {
            return Err(TopicError::NotEditable {
                status: self.0.status,
            });
        }
        let r = &mut self.0;
        edit.apply(
            &mut r.title,
            &mut r.description,
            &mut r.policy_area_id,
            &mut r.region,
            &mut r.tags,
        );
        self.touch(now);
        Ok(self.event(EventType::TopicEdited, ActorRole::Author, Some(by), now))
    }

    /// A staff decision on the agenda.
    ///
    /// # Errors
    /// [`TopicError::InvalidTransition`], [`TopicError::ReasonRequired`] (declining).
    pub fn move_to(
        &mut self,
        to: TopicStatus,
        reason: Option<Reason>,
        role: ActorRole,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> Result<Event, TopicError> {
        use TopicStatus as S;
        let from = self.0.status;
        let allowed = matches!(
            (from, to),
            (S::Suggested, S::Shortlisted)
                | (S::Shortlisted, S::Scheduled)
                | (S::Scheduled, S::Discussed)
                | (S::Discussed, S::Closed)
                | (S::Suggested | S::Shortlisted, S::Declined)
        );
        if !allowed {
            return Err(TopicError::InvalidTransition { from, to });
        }
        if to == S::Declined && reason.is_none() {
            return Err(TopicError::ReasonRequired);
        }
        self.0.status = to;
        self.touch(now);
        Ok(self
            .event(EventType::TopicStatusChanged, role, Some(actor), now)
            .with_payload(EventPayload {
                from_status: Some(from.as_str().to_owned()),
                to_status: Some(to.as_str().to_owned()),
                reason: reason.map(|r| r.as_str().to_owned()),
                ..EventPayload::default()
            }))
    }

    /// Whether `user` may vote on this topic now.
    ///
    /// # Errors
    /// [`TopicError::OwnTopic`], [`TopicError::NotOpen`].
    pub fn check_vote(&self, user: UserId) -> Result<(), TopicError> {
        if !self.0.status.is_open() {
            return Err(TopicError::NotOpen {
                status: self.0.status,
            });
        }
        if user == self.0.author_id {
            return Err(TopicError::OwnTopic);
        }
        Ok(())
    }

    /// Moderation hides or shows the topic; `None` when it already was so.
    pub fn set_hidden(
        &mut self,
        hidden: bool,
        reason: Option<String>,
        role: ActorRole,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Option<Event> {
        if self.0.hidden == hidden {
            return None;
        }
        self.0.hidden = hidden;
        self.touch(now);
        let event_type = if hidden {
            EventType::TopicHidden
        } else {
            EventType::TopicUnhidden
        };
        Some(
            self.event(event_type, role, actor, now)
                .with_payload(EventPayload {
                    reason,
                    ..EventPayload::default()
                }),
        )
    }

    /// Whether `viewer` may see this topic (hidden ones: its author and moderation staff).
    pub fn visible_to(&self, viewer: Visibility) -> bool {
        viewer.shows(self.0.hidden, self.0.author_id)
    }
}
