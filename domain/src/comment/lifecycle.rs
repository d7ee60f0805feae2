//! Every change a comment goes through, each returning its event (`comment.*`, related to its subject).

use chrono::{DateTime, Utc};

use super::{AuthorRole, Comment, CommentBody, CommentOn, CommentRecord, MAX_DEPTH};
use crate::Id;
use crate::account::UserId;
use crate::actor::{Actor, ActorRole, Visibility};
use crate::event::{Event, EventPayload, EventType};

/// Where in a live forum a comment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveMark {
    /// The agenda item, 0-based.
    pub agenda_item: Option<i32>,
    /// Seconds since the stream started.
    pub stream_offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("only the author may do this")]
    NotAuthor,
    #[error("the comment was deleted")]
    Deleted,
    #[error("authors cannot like their own comment")]
    OwnComment,
    #[error("authors cannot vote on their own question")]
    OwnQuestion,
    #[error("the {kind} is {status}: it takes no more comments")]
    SubjectClosed { kind: &'static str, status: String },
    #[error("agenda_item and stream_offset are for comments on a live forum")]
    NotLive,
    #[error("questions to the panel are asked while the forum is live")]
    QuestionNotLive,
    #[error("this comment is not a question to the panel")]
    NotAQuestion,
    #[error("a question that is {from} cannot become {to}")]
    QuestionMove {
        from: super::QuestionStatus,
        to: super::QuestionStatus,
    },
    #[error("question {0} is on stage: mark it answered (or back to open) first")]
    AnotherOnStage(super::CommentId),
}

impl Comment {
    fn touch(&mut self, now: DateTime<Utc>) {
        self.0.updated_at = now;
        self.0.version += 1;
    }

    pub(super) fn event(
        &self,
        t: EventType,
        role: ActorRole,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Event {
        Event::new(t, self.0.id, role, actor, now)
            .with_payload(EventPayload {
                related_id: Some(self.0.on.id()),
                related_kind: Some(self.0.on.kind().as_str().to_owned()),
                ..EventPayload::default()
            })
            .in_forum(self.0.on.forum())
    }

    /// A new comment on `on`, under `parent` if it is a reply (the caller checked the parent is on the
    /// same subject). A reply deeper than [`MAX_DEPTH`] joins the parent's own thread.
    pub fn post(
        actor: &Actor,
        on: CommentOn,
        parent: Option<&Comment>,
        body: CommentBody,
        live: Option<LiveMark>,
        question: bool,
        now: DateTime<Utc>,
    ) -> (Self, Event) {
        let (parent_id, in_reply_to, depth) = match parent {
            None => (None, None, 0),
            Some(p) if p.0.depth < MAX_DEPTH => (Some(p.0.id), None, p.0.depth + 1),
            Some(p) => (p.0.parent_id, Some(p.0.id), p.0.depth),
        };
        let comment = Self(CommentRecord {
            id: Id::generate(),
            on,
            parent_id,
            in_reply_to,
            depth,
            author_id: actor.user_id,
            author_role: AuthorRole::of(&actor.roles),
            body,
            like_count: 0,
            reply_count: 0,
            hidden: false,
            deleted: false,
            edited_at: None,
            live,
            question: question.then_some(super::Question {
                status: super::QuestionStatus::Open,
                votes: 0,
            }),
            created_at: now,
            updated_at: now,
            version: 1,
        });
        let event = comment.event(
            EventType::CommentPosted,
            ActorRole::Author,
            Some(actor.user_id),
            now,
        );
        (comment, event)
    }

    pub fn parent_id(&self) -> Option<super::CommentId> {
        self.0.parent_id
    }

    /// The author rewrites it; the edit is marked.
    ///
    /// # Errors
    /// [`CommentError::NotAuthor`], [`CommentError::Deleted`].
    pub fn edit(
        &mut self,
        by: UserId,
        body: CommentBody,
        now: DateTime<Utc>,
    ) -> Result<Event, CommentError> {
        if by != self.0.author_id {
            return Err(CommentError::NotAuthor);
        }
        if self.0.deleted {
            return Err(CommentError::Deleted);
        }
        self.0.body = body;
        self.0.edited_at = Some(now);
        self.touch(now);
        Ok(self.event(EventType::CommentEdited, ActorRole::Author, Some(by), now))
    }

    /// The author deletes it (softly); `None` when it already was.
    ///
    /// # Errors
    /// [`CommentError::NotAuthor`].
    pub fn delete(
        &mut self,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<Event>, CommentError> {
        if by != self.0.author_id {
            return Err(CommentError::NotAuthor);
        }
        if self.0.deleted {
            return Ok(None);
        }
        self.0.deleted = true;
        self.touch(now);
        Ok(Some(self.event(
            EventType::CommentDeleted,
            ActorRole::Author,
            Some(by),
            now,
        )))
    }

    /// Whether `user` may like it.
    ///
    /// # Errors
    /// [`CommentError::OwnComment`], [`CommentError::Deleted`].
    pub fn check_like(&self, user: UserId) -> Result<(), CommentError> {
        if self.0.deleted {
            return Err(CommentError::Deleted);
        }
        if user == self.0.author_id {
            return Err(CommentError::OwnComment);
        }
        Ok(())
    }

    /// Moderation hides or shows it; `None` when it already was so.
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
        let t = if hidden {
            EventType::CommentHidden
        } else {
            EventType::CommentUnhidden
        };
        let mut e = self.event(t, role, actor, now);
        e.payload.reason = reason;
        Some(e)
    }

    /// Hidden comments: their author and moderation staff only.
    pub fn visible_to(&self, viewer: Visibility) -> bool {
        viewer.shows(self.0.hidden, self.0.author_id)
    }
}
