//! Moderated content, loaded: the one place that knows which aggregates can be reported and hidden.

use chrono::{DateTime, Utc};

use super::Target;
use crate::RepoError;
use crate::account::UserId;
use crate::actor::{ActorRole, Visibility};
use crate::comment::Comment;
use crate::event::Event;
use crate::proposal::Proposal;
use crate::topic::Topic;
use crate::uow::UnitOfWork;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Proposal(Proposal),
    Topic(Topic),
    Comment(Comment),
}

impl Subject {
    /// # Errors
    /// Only [`RepoError::Backend`].
    pub fn load(uow: &mut dyn UnitOfWork, target: Target) -> Result<Option<Self>, RepoError> {
        Ok(match target {
            Target::Proposal(id) => uow.proposals().get(id)?.map(Self::Proposal),
            Target::Topic(id) => uow.topics().get(id)?.map(Self::Topic),
            Target::Comment(id) => uow.comments().get(id)?.map(Self::Comment),
        })
    }

    /// Saves a change made by [`Subject::set_hidden`].
    ///
    /// # Errors
    /// [`RepoError::Conflict`] when it changed since it was loaded.
    pub fn save(&self, uow: &mut dyn UnitOfWork) -> Result<(), RepoError> {
        match self {
            Self::Proposal(p) => uow.proposals().update(p),
            Self::Topic(t) => uow.topics().update(t),
            Self::Comment(c) => uow.comments().update(c),
        }
    }

    pub fn target(&self) -> Target {
        match self {
            Self::Proposal(p) => Target::Proposal(p.id()),
            Self::Topic(t) => Target::Topic(t.id()),
            Self::Comment(c) => Target::Comment(c.id()),
        }
    }

    pub fn author_id(&self) -> UserId {
        match self {
            Self::Proposal(p) => p.author_id(),
            Self::Topic(t) => t.author_id(),
            Self::Comment(c) => c.author_id(),
        }
    }

    /// The forum whose live stream carries this content's moderation, if it is a comment on a forum.
    pub fn forum(&self) -> Option<crate::forum::ForumId> {
        match self {
            Self::Comment(c) => c.on().forum(),
            _ => None,
        }
    }

    pub fn hidden(&self) -> bool {
        match self {
            Self::Proposal(p) => p.hidden(),
            Self::Topic(t) => t.hidden(),
            Self::Comment(c) => c.hidden(),
        }
    }

    pub fn visible_to(&self, viewer: Visibility) -> bool {
        viewer.shows(self.hidden(), self.author_id())
    }

    /// Hides or shows it; `None` when it already was so.
    pub fn set_hidden(
        &mut self,
        hidden: bool,
        reason: Option<String>,
        role: ActorRole,
        actor: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Option<Event> {
        match self {
            Self::Proposal(p) => p
                .set_hidden(hidden, reason, role, now)
                .map(|e| e.into_event(actor)),
            Self::Topic(t) => t.set_hidden(hidden, reason, role, actor, now),
            Self::Comment(c) => c.set_hidden(hidden, reason, role, actor, now),
        }
    }
}
