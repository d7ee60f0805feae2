//! What comment endpoints answer with.

use chrono::{DateTime, Utc};
use ocf_domain::account::UserId;
use ocf_domain::comment::Comment;
use serde::Serialize;
use utoipa::ToSchema;

/// What a comment is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "proposal")]
pub enum CommentSubjectKind {
    Proposal,
    Topic,
    Forum,
}

/// A comment. A deleted one keeps its place in the thread, without its text.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    /// The comment's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What it is on.
    pub subject_type: CommentSubjectKind,
    /// The id of what it is on.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub subject_id: String,
    /// The comment it hangs under; `null` at the top level.
    #[schema(example = json!(null), required = true)]
    pub parent_id: Option<String>,
    /// Whom it answers when that is deeper than replies go; `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub in_reply_to: Option<String>,
    /// 0 at the top level, at most 2.
    #[schema(example = 0, minimum = 0, maximum = 2)]
    pub depth: i32,
    /// The text; `null` once deleted.
    #[schema(example = "여객선 운항 횟수부터 늘려야 합니다.", required = true)]
    pub body: Option<String>,
    /// Deleted.
    #[schema(example = false)]
    pub deleted: bool,
    /// Hidden by moderation (then only its author and moderators see it).
    #[schema(example = false)]
    pub hidden: bool,
    /// How the author is shown: by role, never by name.
    pub author_role: crate::vocab::CommentAuthorRole,
    /// When its author last edited it; `null` if never.
    #[schema(example = json!(null), required = true)]
    pub edited_at: Option<DateTime<Utc>>,
    /// Like count.
    #[schema(example = 3, minimum = 0)]
    pub like_count: i64,
    /// Direct replies (list them with `?parent_id=`).
    #[schema(example = 2, minimum = 0)]
    pub reply_count: i64,
    /// On a live forum: the agenda item (0-based); `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub agenda_item: Option<i32>,
    /// On a live forum: seconds into the stream; `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub stream_offset: Option<i64>,
    /// Whether the caller wrote it; `null` without a token.
    #[schema(example = false, required = true)]
    pub is_mine: Option<bool>,
    /// Whether the caller likes it; `null` without a token.
    #[schema(example = false, required = true)]
    pub liked_by_me: Option<bool>,
    /// Set when it is a question to a live forum's panel; `null` for other comments.
    #[schema(required = true)]
    pub question: Option<QuestionView>,
    /// Created at.
    #[schema(example = "2026-12-10T05:31:00Z")]
    pub created_at: DateTime<Utc>,
}

/// A question to the panel: where it stands and its votes.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    /// `open`, then `on_stage` (one at a time per forum), then `answered`.
    pub status: crate::vocab::QuestionStatus,
    /// Votes, one per person.
    #[schema(example = 12, minimum = 0)]
    pub votes: i64,
    /// Whether the caller voted for it; `null` without a token.
    #[schema(example = false, required = true)]
    pub voted_by_me: Option<bool>,
}

/// The view of `c`; `liked` and `voted` are the caller's (`None` without one, and in live streams).
pub(crate) fn view(
    c: Comment,
    caller: Option<UserId>,
    liked: Option<bool>,
    voted: Option<bool>,
) -> CommentView {
    use ocf_domain::comment::CommentOn;
    let r = c.into_record();
    let subject_type = match r.on {
        CommentOn::Proposal(_) => CommentSubjectKind::Proposal,
        CommentOn::Topic(_) => CommentSubjectKind::Topic,
        CommentOn::Forum(_) => CommentSubjectKind::Forum,
    };
    CommentView {
        id: r.id.to_string(),
        subject_type,
        subject_id: r.on.id(),
        parent_id: r.parent_id.map(|p| p.to_string()),
        in_reply_to: r.in_reply_to.map(|p| p.to_string()),
        depth: r.depth,
        body: (!r.deleted).then(|| r.body.as_str().to_owned()),
        deleted: r.deleted,
        hidden: r.hidden,
        author_role: r.author_role.into(),
        edited_at: r.edited_at,
        like_count: r.like_count,
        reply_count: r.reply_count,
        agenda_item: r.live.and_then(|l| l.agenda_item),
        stream_offset: r.live.and_then(|l| l.stream_offset),
        is_mine: caller.map(|u| u == r.author_id),
        liked_by_me: liked,
        question: r.question.map(|q| QuestionView {
            status: q.status.into(),
            votes: q.votes,
            voted_by_me: voted,
        }),
        created_at: r.created_at,
    }
}
