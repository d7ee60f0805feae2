//! What a unit of work stores for topics. Every method runs inside the unit of work's transaction.

use chrono::{DateTime, Utc};

use super::{Topic, TopicId};
use crate::RepoError;
use crate::account::UserId;

pub trait TopicStore {
    /// Stores a new topic.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("policy area or author")` when a reference is dangling.
    fn insert(&mut self, topic: &Topic) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn get(&mut self, id: TopicId) -> Result<Option<Topic>, RepoError>;

    /// Saves a changed topic (its `version` already incremented) if nobody changed it since it was read.
    /// The vote count is not written: votes move it themselves.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("topic")`.
    fn update(&mut self, topic: &Topic) -> Result<(), RepoError>;

    /// Adds `user`'s vote if the topic is open, not theirs, not hidden (unless `hidden_ok`) and not yet
    /// voted on by them, in one guarded statement; returns whether one was added.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn add_vote(
        &mut self,
        id: TopicId,
        user: UserId,
        now: DateTime<Utc>,
        hidden_ok: bool,
    ) -> Result<bool, RepoError>;

    /// Removes `user`'s vote; returns whether there was one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn remove_vote(
        &mut self,
        id: TopicId,
        user: UserId,
        trending_since: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn voted(&mut self, id: TopicId, user: UserId) -> Result<bool, RepoError>;
}
