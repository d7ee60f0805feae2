//! What a unit of work stores for comments.

use chrono::{DateTime, Utc};

use super::{Comment, CommentId};
use crate::RepoError;
use crate::account::UserId;
use crate::forum::ForumId;

pub trait CommentStore {
    /// Stores a new comment and counts it on its parent.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("author")` when a reference is dangling.
    fn insert(&mut self, comment: &Comment) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn get(&mut self, id: CommentId) -> Result<Option<Comment>, RepoError>;

    /// Saves a change if nobody changed it since it was read (counts are not written).
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("comment")`.
    fn update(&mut self, comment: &Comment) -> Result<(), RepoError>;

    /// Adds `user`'s like if there is none; returns whether one was added.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn add_like(
        &mut self,
        id: CommentId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// Removes `user`'s like; returns whether there was one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn remove_like(&mut self, id: CommentId, user: UserId) -> Result<bool, RepoError>;

    /// Adds `user`'s vote on a question if there is none; returns its vote count when one was added.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn add_vote(
        &mut self,
        id: CommentId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, RepoError>;

    /// Removes `user`'s vote; returns the vote count when there was one.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn remove_vote(&mut self, id: CommentId, user: UserId) -> Result<Option<i64>, RepoError>;

    /// The forum's question now on stage, if any.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn on_stage(&mut self, forum: ForumId) -> Result<Option<CommentId>, RepoError>;
}
