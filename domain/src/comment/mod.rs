//! Comments: threaded discussion on proposals, topics and forums. Replies nest three levels deep; a reply
//! to the deepest level joins its parent's thread. Likes are one per person; edits keep a mark; a delete
//! leaves a placeholder so replies keep their place; moderation reuses the proposals' mechanism.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::{Role, Roles, UserId};
use crate::event::AggregateKind;
use crate::forum::ForumId;
use crate::macros::code_enum;
use crate::proposal::ProposalId;
use crate::text::{self, TextError};
use crate::topic::TopicId;

mod lifecycle;
pub mod query;
pub mod question;
mod repository;
pub mod service;
#[cfg(test)]
mod tests;

pub use lifecycle::{CommentError, LiveMark};
pub use question::{Question, QuestionStatus};
pub use repository::CommentStore;

pub type CommentId = Id<Comment>;

/// The deepest reply level: 0 is a comment on the subject, so three levels in all.
pub const MAX_DEPTH: i32 = 2;

/// What a comment is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentOn {
    Proposal(ProposalId),
    Topic(TopicId),
    Forum(ForumId),
}

impl CommentOn {
    pub fn kind(self) -> AggregateKind {
        match self {
            Self::Proposal(_) => AggregateKind::Proposal,
            Self::Topic(_) => AggregateKind::Topic,
            Self::Forum(_) => AggregateKind::Forum,
        }
    }

    /// The forum, when it is one (its live stream carries the comment's events).
    pub fn forum(self) -> Option<ForumId> {
        match self {
            Self::Forum(id) => Some(id),
            _ => None,
        }
    }

    pub fn id(self) -> String {
        match self {
            Self::Proposal(id) => id.to_string(),
            Self::Topic(id) => id.to_string(),
            Self::Forum(id) => id.to_string(),
        }
    }

    /// # Errors
    /// A message for a kind that takes no comments, or an invalid id.
    pub fn parse(kind: &str, id: &str) -> Result<Self, String> {
        let kind: AggregateKind = kind.parse()?;
        let bad = |_| format!("invalid {kind} id '{id}'");
        match kind {
            AggregateKind::Proposal => Id::parse(id).map(Self::Proposal).map_err(bad),
            AggregateKind::Topic => Id::parse(id).map(Self::Topic).map_err(bad),
            AggregateKind::Forum => Id::parse(id).map(Self::Forum).map_err(bad),
            other => Err(format!("{other}s take no comments")),
        }
    }
}

code_enum!(
    /// How a comment's author is shown: by role, never by identity.
    AuthorRole, "author role", {
    Citizen = "citizen", Official = "official", Moderator = "moderator", Admin = "admin",
});

impl AuthorRole {
    /// The role an author speaks with: the highest they hold.
    pub fn of(roles: &Roles) -> Self {
        if roles.contains(Role::Admin) {
            Self::Admin
        } else if roles.contains(Role::Moderator) {
            Self::Moderator
        } else if roles.contains(Role::Official) {
            Self::Official
        } else {
            Self::Citizen
        }
    }
}

/// 1-5,000 characters; line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub const MAX: usize = 5_000;

    /// # Errors
    /// [`TextError`] when empty, longer than 5,000 characters, or with control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::multi_line(raw, 1, Self::MAX).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A comment as stored, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRecord {
    pub id: CommentId,
    pub on: CommentOn,
    /// The comment it hangs under; `None` at the top level.
    pub parent_id: Option<CommentId>,
    /// The comment it answers, when that is deeper than replies go (then `parent_id` is that one's
    /// parent).
    pub in_reply_to: Option<CommentId>,
    pub depth: i32,
    pub author_id: UserId,
    pub author_role: AuthorRole,
    pub body: CommentBody,
    pub like_count: i64,
    /// Direct replies.
    pub reply_count: i64,
    /// Hidden by moderation: a flag.
    pub hidden: bool,
    /// Deleted by its author: the text is gone, the place in the thread stays.
    pub deleted: bool,
    pub edited_at: Option<DateTime<Utc>>,
    /// On a live forum: the agenda item (0-based) and the stream offset in seconds.
    pub live: Option<LiveMark>,
    /// Set when the comment is a question to a live forum's panel.
    pub question: Option<Question>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A comment. Read it through [`Comment::record`], change it through the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment(CommentRecord);

impl Comment {
    pub fn restore(record: CommentRecord) -> Self {
        Self(record)
    }

    pub fn record(&self) -> &CommentRecord {
        &self.0
    }

    pub fn into_record(self) -> CommentRecord {
        self.0
    }

    pub fn id(&self) -> CommentId {
        self.0.id
    }

    pub fn on(&self) -> CommentOn {
        self.0.on
    }

    pub fn author_id(&self) -> UserId {
        self.0.author_id
    }

    pub fn hidden(&self) -> bool {
        self.0.hidden
    }

    pub fn deleted(&self) -> bool {
        self.0.deleted
    }
}
