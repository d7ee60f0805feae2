//! What topic endpoints answer with.

use chrono::{DateTime, Utc};
use ocf_domain::account::UserId;
use ocf_domain::event::LoggedEvent;
use ocf_domain::topic::Topic;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// A topic, in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicView {
    /// The topic's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// 5-150 characters, one line.
    #[schema(
        example = "골목길 불법 주차로 소방차가 못 지나갑니다",
        min_length = 5,
        max_length = 150
    )]
    pub title: String,
    /// 20-10,000 characters.
    #[schema(
        example = "주택가 골목길마다 불법 주차가 많아 화재가 나도 소방차가 들어가지 못합니다.",
        min_length = 20,
        max_length = 10000
    )]
    pub description: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; `null` when not given.
    #[schema(required = true)]
    pub region: Option<crate::vocab::Region>,
    /// Free labels: lower-cased, without repeats, sorted.
    #[schema(example = json!(["주차"]), max_items = 10)]
    pub tags: Vec<String>,
    /// Its place on the agenda.
    pub status: crate::vocab::TopicStatus,
    /// Hidden by moderation (then only its author and moderators see it).
    #[schema(example = false)]
    pub hidden: bool,
    /// How many people voted for it.
    #[schema(example = 57, minimum = 0)]
    pub vote_count: i64,
    /// Whether the caller suggested it; `null` without a token.
    #[schema(example = false, required = true)]
    pub is_mine: Option<bool>,
    /// Whether the caller voted for it; `null` without a token.
    #[schema(example = true, required = true)]
    pub voted_by_me: Option<bool>,
    /// When it was suggested.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

pub(super) fn view(
    t: Topic,
    area: String,
    caller: Option<UserId>,
    voted: Option<bool>,
) -> TopicView {
    let r = t.into_record();
    TopicView {
        id: r.id.to_string(),
        title: r.title.as_str().to_owned(),
        description: r.description.as_str().to_owned(),
        policy_area: area,
        region: r.region.map(Into::into),
        tags: r.tags.iter().map(|t| t.as_str().to_owned()).collect(),
        status: r.status.into(),
        hidden: r.hidden,
        vote_count: r.vote_count,
        is_mine: caller.map(|c| c == r.author_id),
        voted_by_me: voted,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// A topic in a list: the description cut to an excerpt. Read the topic for `is_mine` and `voted_by_me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicSummary {
    /// The topic's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The title.
    #[schema(
        example = "골목길 불법 주차로 소방차가 못 지나갑니다",
        min_length = 5,
        max_length = 150
    )]
    pub title: String,
    /// The first 200 characters of the description.
    #[schema(example = "주택가 골목길마다 불법 주차가 많아...", max_length = 200)]
    pub excerpt: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; `null` when not given.
    #[schema(required = true)]
    pub region: Option<crate::vocab::Region>,
    /// Free labels.
    #[schema(example = json!(["주차"]), max_items = 10)]
    pub tags: Vec<String>,
    /// Its place on the agenda.
    pub status: crate::vocab::TopicStatus,
    /// Hidden by moderation.
    #[schema(example = false)]
    pub hidden: bool,
    /// How many people voted for it.
    #[schema(example = 57, minimum = 0)]
    pub vote_count: i64,
    /// When it was suggested.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

pub(super) fn summary(t: ocf_domain::topic::query::TopicSummary, area: String) -> TopicSummary {
    TopicSummary {
        id: t.id.to_string(),
        title: t.title,
        excerpt: t.excerpt,
        policy_area: area,
        region: t.region.map(Into::into),
        tags: t.tags,
        status: t.status.into(),
        hidden: t.hidden,
        vote_count: t.vote_count,
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

/// What happened to a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "status_changed")]
pub enum TopicEventKind {
    Suggested,
    Edited,
    StatusChanged,
    Hidden,
    Unhidden,
}

/// One step on a topic's public timeline. Citizens appear only as `author`; staff by role.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicEventView {
    /// The event's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What happened.
    pub kind: TopicEventKind,
    /// Who acted.
    pub actor_role: crate::vocab::ActorRole,
    /// The status before, for status changes; `null` otherwise.
    #[schema(required = true)]
    pub from_status: Option<crate::vocab::TopicStatus>,
    /// The status after, for `suggested` and status changes; `null` otherwise.
    #[schema(required = true)]
    pub to_status: Option<crate::vocab::TopicStatus>,
    /// The stated reason; `null` if none.
    #[schema(example = "다음 분기 토론 주제로 선정했습니다.", required = true)]
    pub reason: Option<String>,
    /// When it happened (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl TryFrom<&LoggedEvent> for TopicEventView {
    type Error = ApiError;

    fn try_from(logged: &LoggedEvent) -> Result<Self, ApiError> {
        use ocf_domain::event::EventType as T;
        let e = &logged.event;
        let bad = |what: String| ApiError::Internal(format!("logged topic event: {what}").into());
        let kind = match e.event_type {
            T::TopicSuggested => TopicEventKind::Suggested,
            T::TopicEdited => TopicEventKind::Edited,
            T::TopicStatusChanged => TopicEventKind::StatusChanged,
            T::TopicHidden => TopicEventKind::Hidden,
            T::TopicUnhidden => TopicEventKind::Unhidden,
            other => return Err(bad(format!("{other} is not a topic event"))),
        };
        let status = |s: &Option<String>| {
            s.as_deref()
                .map(|s| s.parse::<ocf_domain::topic::TopicStatus>().map(Into::into))
                .transpose()
                .map_err(bad)
        };
        Ok(Self {
            id: e.id.to_string(),
            kind,
            actor_role: e.actor_role.into(),
            from_status: status(&e.payload.from_status)?,
            to_status: status(&e.payload.to_status)?,
            reason: e.payload.reason.clone(),
            created_at: e.occurred_at,
        })
    }
}
