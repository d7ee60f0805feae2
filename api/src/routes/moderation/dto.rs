//! What moderation endpoints accept and answer with.

use chrono::{DateTime, Utc};
use ocf_domain::moderation::{LogEntry, Report, Target};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::routes::proposal::ProposalView;
use crate::routes::topic::TopicView;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportsQuery {
    /// Which reports: `open` (default) or `resolved`.
    #[param(value_type = Option<crate::vocab::ReportStatus>, example = "open")]
    pub status: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(example = 20, minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A moderator's decision on a report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `uphold` (the reported proposal or topic is or stays hidden) or `dismiss` (it is or stays visible).
    #[schema(value_type = crate::vocab::ReportDecision, example = "uphold")]
    pub decision: String,
    /// Why, 1-2,000 characters after trimming; published in the moderation log.
    #[schema(
        example = "연락처 등 개인정보가 포함되어 있습니다.",
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// The result of a decision on a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolveResponse {
    /// How many open reports of the same content the decision closed.
    #[schema(example = 3, minimum = 0)]
    pub resolved_reports: usize,
    /// The proposal after the decision, when a proposal was reported; `null` otherwise.
    #[schema(required = true)]
    pub proposal: Option<ProposalView>,
    /// The topic after the decision, when a topic was reported; `null` otherwise.
    #[schema(required = true)]
    pub topic: Option<TopicView>,
    /// The comment after the decision, when a comment was reported; `null` otherwise.
    #[schema(required = true)]
    pub comment: Option<crate::routes::comment::CommentView>,
}

/// Why a proposal is hidden or shown again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationRequest {
    /// 1-2,000 characters after trimming; published in the moderation log and on the content's timeline.
    #[schema(
        example = "욕설이 포함되어 있습니다.",
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
    )]
    pub reason: String,
}

/// A report as moderators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    /// The report's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What kind of content was reported.
    pub target_type: crate::vocab::ModeratedKind,
    /// The reported proposal's or topic's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub target_id: String,
    /// The reported proposal (the same as `target_id`); `null` when a topic was reported.
    #[schema(
        example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
        required = true,
        deprecated
    )]
    pub proposal_id: Option<String>,
    /// What the reporter said.
    #[schema(example = "개인정보가 포함되어 있습니다.")]
    pub reason: String,
    /// Whether a moderator has decided.
    pub status: crate::vocab::ReportStatus,
    /// The decision for resolved reports; `null` while open.
    #[schema(required = true)]
    pub decision: Option<crate::vocab::ReportDecision>,
    /// When it was filed (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it was resolved; `null` while open.
    #[schema(example = json!(null), required = true)]
    pub resolved_at: Option<DateTime<Utc>>,
}

/// One public moderation decision. Moderators appear by role only.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationLogEntryView {
    /// The entry's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What was decided.
    pub action: crate::vocab::ModerationAction,
    /// What kind of content the decision concerned.
    pub target_type: crate::vocab::ModeratedKind,
    /// The proposal's or topic's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub target_id: String,
    /// The proposal concerned (the same as `target_id`); `null` when it was a topic.
    #[schema(
        example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
        required = true,
        deprecated
    )]
    pub proposal_id: Option<String>,
    /// The stated reason; `null` if none.
    #[schema(example = "욕설이 포함되어 있습니다.", required = true)]
    pub reason: Option<String>,
    /// Who decided: `moderator`, `admin` or `system` (automatic hiding).
    pub actor_role: crate::vocab::ActorRole,
    /// When (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        Self {
            id: r.id.to_string(),
            target_type: r.target.into(),
            target_id: r.target.id(),
            proposal_id: proposal_of(r.target),
            reason: r.reason.as_str().to_owned(),
            status: if r.resolved_at.is_some() {
                crate::vocab::ReportStatus::Resolved
            } else {
                crate::vocab::ReportStatus::Open
            },
            decision: r.decision.map(Into::into),
            created_at: r.created_at,
            resolved_at: r.resolved_at,
        }
    }
}

impl From<LogEntry> for ModerationLogEntryView {
    fn from(e: LogEntry) -> Self {
        Self {
            id: e.id.to_string(),
            action: e.action.into(),
            target_type: e.target.into(),
            target_id: e.target.id(),
            proposal_id: proposal_of(e.target),
            reason: e.reason,
            actor_role: e.actor_role.into(),
            created_at: e.created_at,
        }
    }
}

fn proposal_of(target: Target) -> Option<String> {
    match target {
        Target::Proposal(id) => Some(id.to_string()),
        Target::Topic(_) | Target::Comment(_) => None,
    }
}
