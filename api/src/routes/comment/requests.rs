//! What comment endpoints accept.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A new comment, or a reply.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommentRequest {
    /// 1-5,000 characters after trimming; line breaks allowed.
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
        example = "여객선 운항 횟수부터 늘려야 합니다.",
        min_length = 1,
        max_length = 5000
    )]
    pub body: String,
    /// The comment this replies to, on the same subject. Replies nest three levels deep; a reply to the
    /// deepest level joins that comment's thread (`in_reply_to` keeps whom it answers).
    #[schema(value_type = String, format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub parent_id: Option<String>,
    /// On a live forum: the agenda item being discussed (0-based).
    #[schema(value_type = i32, example = 0, minimum = 0, maximum = 49)]
    #[serde(default, deserialize_with = "crate::extract::non_null_integer")]
    pub agenda_item: Option<i32>,
    /// On a live forum: seconds since the stream started.
    #[schema(value_type = i64, example = 1830, minimum = 0, maximum = 604800)]
    #[serde(default, deserialize_with = "crate::extract::non_null_integer")]
    pub stream_offset: Option<i64>,
}

/// The author's new text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCommentRequest {
    /// 1-5,000 characters after trimming.
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
        example = "여객선 운항 횟수부터 늘려야 합니다. (수정)",
        min_length = 1,
        max_length = 5000
    )]
    pub body: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CommentsQuery {
    /// The level to list: the replies under this comment; left out, the top level.
    #[param(format = Uuid, example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub parent_id: Option<String>,
    /// The order; `oldest` by default.
    #[param(value_type = Option<crate::vocab::CommentSort>, example = "oldest")]
    pub sort: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same level and sort).
    pub cursor: Option<String>,
}
