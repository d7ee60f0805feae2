//! Questions to the panel: during a live forum a viewer asks a question (a top-level comment on the forum
//! that records the agenda item and the moment in the stream), others vote on it, one vote each, and the
//! forum's managers put one on stage and then mark it answered. The outcome lists them with their votes.

use chrono::{DateTime, Utc};

use super::{Comment, CommentBody, CommentError, CommentId, CommentOn, LiveMark};
use crate::actor::{Actor, ActorRole};
use crate::error::UseCaseError;
use crate::event::{Event, EventType};
use crate::forum::{ForumId, ForumStatus};
use crate::macros::code_enum;
use crate::uow::UnitOfWork;

code_enum!(
    /// Where a question stands: `open -> on_stage -> answered` (or `open -> answered`; one on stage may
    /// go back to `open`).
    QuestionStatus, "question status", {
    Open = "open", OnStage = "on_stage", Answered = "answered",
});

impl QuestionStatus {
    fn may_become(self, to: Self) -> bool {
        use QuestionStatus as Q;
        matches!(
            (self, to),
            (Q::Open, Q::OnStage) | (Q::OnStage, Q::Answered | Q::Open) | (Q::Open, Q::Answered)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub status: QuestionStatus,
    /// One per person; the author cannot vote on their own.
    pub votes: i64,
}

impl Comment {
    pub fn question(&self) -> Option<Question> {
        self.0.question
    }

    fn as_question(&self) -> Result<Question, CommentError> {
        self.0.question.ok_or(CommentError::NotAQuestion)
    }

    /// Whether `user` may vote on it (or take their vote back).
    ///
    /// # Errors
    /// [`CommentError::NotAQuestion`], [`CommentError::Deleted`], [`CommentError::OwnQuestion`].
    pub fn check_vote(&self, user: crate::account::UserId) -> Result<(), CommentError> {
        self.as_question()?;
        self.check_like(user).map_err(|e| match e {
            CommentError::OwnComment => CommentError::OwnQuestion,
            other => other,
        })
    }

    /// The event of a vote given (or taken back), with the count after it.
    fn vote_event(&self, given: bool, votes: i64, actor: &Actor, now: DateTime<Utc>) -> Event {
        let t = if given {
            EventType::CommentQuestionVoted
        } else {
            EventType::CommentQuestionUnvoted
        };
        let mut e = self.event(t, ActorRole::Author, Some(actor.user_id), now);
        e.payload.count = Some(votes);
        e
    }

    /// A manager moves the question on.
    ///
    /// # Errors
    /// [`CommentError::NotAQuestion`], [`CommentError::Deleted`], [`CommentError::QuestionMove`].
    pub fn move_question(
        &mut self,
        to: QuestionStatus,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Event, CommentError> {
        let q = self.as_question()?;
        if self.0.deleted {
            return Err(CommentError::Deleted);
        }
        if !q.status.may_become(to) {
            return Err(CommentError::QuestionMove { from: q.status, to });
        }
        self.0.question = Some(Question { status: to, ..q });
        self.0.updated_at = now;
        self.0.version += 1;
        let mut e = self.event(
            EventType::CommentQuestionStatusChanged,
            actor.staff_role(),
            Some(actor.user_id),
            now,
        );
        e.payload.from_status = Some(q.status.as_str().to_owned());
        e.payload.to_status = Some(to.as_str().to_owned());
        Ok(e)
    }
}

/// Asks the panel of a live forum a question. The agenda item and the stream offset are the forum's own
/// at this moment, so the minutes can cite it.
///
/// # Errors
/// Forum not found, not live ([`CommentError::QuestionNotLive`]).
pub fn ask(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    forum: ForumId,
    body: CommentBody,
    now: DateTime<Utc>,
) -> Result<Comment, UseCaseError> {
    let f = crate::forum::service::load_visible(uow, Some(actor), forum)?;
    let Some((agenda_item, offset)) = f.live_mark(now) else {
        return Err(CommentError::QuestionNotLive.into());
    };
    let mark = LiveMark {
        agenda_item,
        stream_offset: Some(offset.min(super::service::MAX_STREAM_OFFSET)),
    };
    let (comment, event) = Comment::post(
        actor,
        CommentOn::Forum(forum),
        None,
        body,
        Some(mark),
        true,
        now,
    );
    uow.comments().insert(&comment)?;
    uow.events().append(&event)?;
    Ok(comment)
}

/// The question, its forum live, for a vote.
fn votable(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
) -> Result<Comment, UseCaseError> {
    let c = super::service::load_visible(uow, Some(actor), id)?;
    c.check_vote(actor.user_id)?;
    let Some(forum) = c.on().forum() else {
        return Err(CommentError::NotAQuestion.into());
    };
    let f = crate::forum::service::load_visible(uow, Some(actor), forum)?;
    if f.status() != ForumStatus::Live {
        return Err(CommentError::QuestionNotLive.into());
    }
    Ok(c)
}

/// Votes for a question; idempotent. Returns the votes it has now.
///
/// # Errors
/// Not found, not a question, one's own, deleted, the forum not live.
pub fn vote(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
    now: DateTime<Utc>,
) -> Result<i64, UseCaseError> {
    let c = votable(uow, actor, id)?;
    match uow.comments().add_vote(id, actor.user_id, now)? {
        Some(votes) => {
            uow.events()
                .append(&c.vote_event(true, votes, actor, now))?;
            Ok(votes)
        }
        None => Ok(c.question().map_or(0, |q| q.votes)),
    }
}

/// Takes a vote back; idempotent. Returns the votes it has now.
///
/// # Errors
/// As [`vote`].
pub fn unvote(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
    now: DateTime<Utc>,
) -> Result<i64, UseCaseError> {
    let c = votable(uow, actor, id)?;
    match uow.comments().remove_vote(id, actor.user_id)? {
        Some(votes) => {
            uow.events()
                .append(&c.vote_event(false, votes, actor, now))?;
            Ok(votes)
        }
        None => Ok(c.question().map_or(0, |q| q.votes)),
    }
}

/// A manager of the forum moves a question on: one at a time is on stage (the forum's row is held, so two
/// managers cannot put two on stage at once). Answered may be marked after the forum has ended, too.
///
/// # Errors
/// Not found, not a manager, not a question, a forbidden move, another on stage, the forum not live.
pub fn set_status(
    uow: &mut dyn UnitOfWork,
    actor: &Actor,
    id: CommentId,
    to: QuestionStatus,
    now: DateTime<Utc>,
) -> Result<Comment, UseCaseError> {
    let mut c = super::service::load_visible(uow, Some(actor), id)?;
    let Some(forum) = c.on().forum().filter(|_| c.question().is_some()) else {
        return Err(CommentError::NotAQuestion.into());
    };
    let f = crate::forum::service::lock_managed(uow, actor, forum)?;
    let open_after_end = to == QuestionStatus::Answered && f.status() == ForumStatus::Ended;
    if f.status() != ForumStatus::Live && !open_after_end {
        return Err(CommentError::QuestionNotLive.into());
    }
    if to == QuestionStatus::OnStage
        && let Some(other) = uow.comments().on_stage(forum)?
        && other != id
    {
        return Err(CommentError::AnotherOnStage(other).into());
    }
    let event = c.move_question(to, actor, now)?;
    uow.comments().update(&c)?;
    uow.events().append(&event)?;
    Ok(c)
}
