//! The read side of comments: one level of a thread at a time, in keyset pages whose cost does not grow
//! with the thread (each level has its own index on the sort), so a page of a 10,000-comment thread costs
//! what a page of a 10-comment one does, with no query per comment.

use super::{Comment, CommentId, CommentOn, QuestionStatus};
use crate::account::UserId;
use crate::actor::Visibility;
use crate::forum::ForumId;
use crate::page::SortKey;
use crate::{Page, PageRequest, RepoError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentSort {
    Oldest,
    Newest,
    MostLiked,
}

/// The order of a forum's questions: most voted first (then newest), or newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionSort {
    Votes,
    Newest,
}

/// A forum's questions to the panel.
#[derive(Debug, Clone)]
pub struct QuestionFilter {
    pub forum: ForumId,
    pub status: Option<QuestionStatus>,
    pub visibility: Visibility,
}

/// One level of a thread: the top level, or the replies under `parent`.
#[derive(Debug, Clone)]
pub struct CommentFilter {
    pub on: CommentOn,
    pub parent: Option<CommentId>,
    pub visibility: Visibility,
}

pub trait CommentQueries {
    /// A page of one level.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_comments(
        &self,
        filter: &CommentFilter,
        sort: CommentSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<Comment, SortKey>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn comment(&self, id: CommentId) -> Result<Option<Comment>, RepoError>;

    /// Which of `ids` `user` likes.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn liked(&self, user: UserId, ids: &[CommentId]) -> Result<Vec<CommentId>, RepoError>;

    /// A page of a forum's questions.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn questions(
        &self,
        filter: &QuestionFilter,
        sort: QuestionSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<Comment, SortKey>, RepoError>;

    /// Which of `ids` `user` voted for.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn voted_questions(&self, user: UserId, ids: &[CommentId])
    -> Result<Vec<CommentId>, RepoError>;
}
