//! What a unit of work stores for forums. Every method runs inside the unit of work's transaction.

use super::outcome::ForumOutcome;
use super::{Forum, ForumId};
use crate::RepoError;

pub trait ForumStore {
    /// Stores a new forum and its linked topics.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("organization, policy area or creator")` when a reference is dangling.
    fn insert(&mut self, forum: &Forum) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn get(&mut self, id: ForumId) -> Result<Option<Forum>, RepoError>;

    /// The forum, held until the unit of work ends, so that changes to its seats take turns (a row lock
    /// on PostgreSQL; SQLite has one writer).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn lock(&mut self, id: ForumId) -> Result<Option<Forum>, RepoError>;

    /// Saves a changed forum if nobody saved it since it was read (its `read_version`),
    /// with its linked topics.
    ///
    /// # Errors
    /// [`RepoError::Conflict`] `("forum")`.
    fn update(&mut self, forum: &Forum) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn outcome(&mut self, id: ForumId) -> Result<Option<ForumOutcome>, RepoError>;

    /// Stores the outcome, replacing the previous one of the forum.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn put_outcome(&mut self, outcome: &ForumOutcome) -> Result<(), RepoError>;
}
