//! What the live endpoints accept and answer: the stream's query, the agenda item, questions to the
//! panel and their votes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where to resume a stream.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ForumEventsQuery {
    /// Resume after this position, as the `Last-Event-ID` header does (the header wins when both are
    /// sent): for clients that cannot set headers.
    #[param(value_type = Option<i64>, minimum = 0, example = 1042)]
    pub last_event_id: Option<String>,
}

/// The agenda item a live forum moves on to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaCurrentRequest {
    /// 0-based, within the forum's agenda.
    #[schema(value_type = i64, example = 1, minimum = 0, maximum = 49)]
    pub agenda_item: crate::extract::Integer,
}

/// A question to the panel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskQuestionRequest {
    /// 1-5,000 characters after trimming; line breaks allowed.
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
        example = "여객선 공영제 예산은 어떻게 마련합니까?",
        min_length = 1,
        max_length = 5000
    )]
    pub body: String,
}

/// A question's next step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionStatusRequest {
    /// `on_stage` (one per forum at a time), `answered`, or `open` (off the stage again).
    pub status: crate::vocab::QuestionStatus,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuestionsQuery {
    /// The order; `votes` by default.
    #[param(value_type = Option<crate::vocab::QuestionSort>, example = "votes")]
    pub sort: Option<String>,
    /// Only questions in this status.
    #[param(value_type = Option<crate::vocab::QuestionStatus>, example = "open")]
    pub status: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same sort and status).
    pub cursor: Option<String>,
}

/// A question's votes after the caller's vote (or its withdrawal).
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteView {
    /// The question.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub question_id: String,
    /// Its votes now.
    #[schema(example = 13, minimum = 0)]
    pub votes: i64,
    /// Whether the caller's vote is on it now.
    #[schema(example = true)]
    pub voted_by_me: bool,
}

/// A question as the outcome report lists it, so the minutes can cite the moment.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeQuestionView {
    /// The question (a comment: `GET /comments/{id}`).
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// Its text; `null` if its author deleted it.
    #[schema(example = "여객선 공영제 예산은 어떻게 마련합니까?", required = true)]
    pub body: Option<String>,
    /// Votes.
    #[schema(example = 42, minimum = 0)]
    pub votes: i64,
    /// Where it ended up.
    pub status: crate::vocab::QuestionStatus,
    /// Whether it was answered.
    #[schema(example = true)]
    pub answered: bool,
    /// The agenda item under way when it was asked (0-based); `null` for a forum without an agenda.
    #[schema(example = 1, required = true)]
    pub agenda_item: Option<i32>,
    /// Seconds into the stream when it was asked.
    #[schema(example = 1830, required = true)]
    pub stream_offset: Option<i64>,
    /// When it was asked.
    #[schema(example = "2026-12-10T05:31:00Z")]
    pub created_at: DateTime<Utc>,
}
