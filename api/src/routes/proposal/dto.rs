//! What proposal endpoints answer with.

use chrono::{DateTime, Utc};
use ocf_domain::account::UserId;
use ocf_domain::proposal::{Proposal, ProposalEvent};
use serde::Serialize;
use utoipa::ToSchema;

/// A proposal, in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalView {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// 5-150 characters, one line.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150
    )]
    pub title: String,
    /// 20-10,000 characters.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면 골목 주차 문제가 줄어듭니다.",
        min_length = 20,
        max_length = 10000
    )]
    pub body: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; `null` when not given.
    #[schema(required = true)]
    pub region: Option<crate::vocab::Region>,
    /// Free labels: lower-cased, without repeats, sorted.
    #[schema(example = json!(["parking", "주차"]), max_items = 10)]
    pub tags: Vec<String>,
    /// The topic it answers; `null` if none.
    #[schema(example = json!(null), required = true)]
    pub topic_id: Option<String>,
    /// The forum it came out of; `null` if none.
    #[schema(example = json!(null), required = true)]
    pub forum_id: Option<String>,
    /// Where it was submitted: `web`, `offline`, `offline_forum` or `partner:<code>`.
    #[schema(
        example = "web",
        pattern = "^(web|offline|offline_forum|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: String,
    /// Who entered it on a participant's behalf (a forum's cards and tables), and when: for moderators
    /// and admins only, `null` for everyone else and for proposals people sent themselves.
    #[schema(required = true)]
    pub offline_entry: Option<OfflineEntryView>,
    /// Its status.
    pub status: crate::vocab::ProposalStatus,
    /// Hidden by moderation (only its author and moderators see it then).
    #[schema(example = false)]
    pub hidden: bool,
    /// For a merged duplicate: the proposal its supports went to; otherwise `null`.
    #[schema(example = json!(null), required = true)]
    pub merged_into: Option<String>,
    /// How many people support it.
    #[schema(example = 128, minimum = 0)]
    pub support_count: i64,
    /// Whether the signed-in caller wrote it; `null` without a token.
    #[schema(example = json!(null), required = true)]
    pub is_mine: Option<bool>,
    /// Whether the signed-in caller supports it; `null` without a token.
    #[schema(example = json!(null), required = true)]
    pub supported_by_me: Option<bool>,
    /// When it was submitted (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
    /// Every partner channel it lives on (where it came in, and records linked to it), with the
    /// external URLs and each partner's own support count; empty when none.
    #[schema(max_items = 1000)]
    pub channels: Vec<crate::routes::channel::ChannelPresenceView>,
}

/// A proposal in a list: the body is cut to an excerpt. Lists do not say whether the caller wrote or
/// supports each proposal; read the proposal (`GET /proposals/{id}`) for `is_mine` and `supported_by_me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummary {
    /// The proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The title.
    #[schema(
        example = "아파트 주차장을 낮 시간에 이웃과 공유해요",
        min_length = 5,
        max_length = 150
    )]
    pub title: String,
    /// The first 200 characters of the body.
    #[schema(
        example = "낮 시간에 비어 있는 아파트 주차장을 인근 주민과 상점 이용객에게 개방하면...",
        max_length = 200
    )]
    pub excerpt: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Where it applies; `null` when not given.
    #[schema(required = true)]
    pub region: Option<crate::vocab::Region>,
    /// Free labels: lower-cased, without repeats, sorted.
    #[schema(example = json!(["주차"]), max_items = 10)]
    pub tags: Vec<String>,
    /// Where it was submitted: `web`, `offline` or `partner:<code>`.
    #[schema(
        example = "web",
        pattern = "^(web|offline|offline_forum|partner:[A-Za-z0-9_-]{1,40})$"
    )]
    pub channel: String,
    /// Its status.
    pub status: crate::vocab::ProposalStatus,
    /// Hidden by moderation.
    #[schema(example = false)]
    pub hidden: bool,
    /// For a merged duplicate: where its supports went; otherwise `null`.
    #[schema(example = json!(null), required = true)]
    pub merged_into: Option<String>,
    /// How many people support it.
    #[schema(example = 128, minimum = 0)]
    pub support_count: i64,
    /// When it was submitted.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

/// Who entered a proposal on a participant's behalf.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfflineEntryView {
    /// The staff member who entered it.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub entered_by: String,
    /// When it was entered.
    #[schema(example = "2026-12-10T08:00:00Z")]
    pub entered_at: DateTime<Utc>,
    /// The participant's name, if they gave it; never public.
    #[schema(example = "박OO", required = true)]
    pub participant_name: Option<String>,
}

pub(super) fn view(
    p: Proposal,
    area: String,
    caller: Option<UserId>,
    supported: Option<bool>,
    entry: Option<ocf_domain::proposal::OfflineEntry>,
    channels: Vec<crate::routes::channel::ChannelPresenceView>,
) -> ProposalView {
    let r = p.into_record();
    ProposalView {
        offline_entry: entry.map(|e| OfflineEntryView {
            entered_by: e.entered_by.to_string(),
            entered_at: e.entered_at,
            participant_name: e.participant_name,
        }),
        id: r.id.to_string(),
        title: r.title.as_str().to_owned(),
        body: r.body.as_str().to_owned(),
        policy_area: area,
        region: r.region.map(Into::into),
        tags: r.tags.iter().map(|t| t.as_str().to_owned()).collect(),
        topic_id: r.topic_id,
        forum_id: r.forum_id,
        channel: r.channel.code(),
        status: r.status.into(),
        hidden: r.hidden,
        merged_into: r.merged_into.map(|m| m.to_string()),
        support_count: r.support_count,
        is_mine: caller.map(|c| c == r.author_id),
        supported_by_me: supported,
        created_at: r.created_at,
        updated_at: r.updated_at,
        channels,
    }
}

pub(super) fn summary(
    p: ocf_domain::proposal::query::ProposalSummary,
    area: String,
) -> ProposalSummary {
    ProposalSummary {
        id: p.id.to_string(),
        title: p.title,
        excerpt: p.excerpt,
        policy_area: area,
        region: p.region.map(Into::into),
        tags: p.tags,
        channel: p.channel.code(),
        status: p.status.into(),
        hidden: p.hidden,
        merged_into: p.merged_into.map(|m| m.to_string()),
        support_count: p.support_count,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// One existing proposal like the draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarItem {
    /// The existing proposal.
    pub proposal: ProposalSummary,
    /// Similarity from 0 to 1 (character-trigram overlap of titles and bodies).
    #[schema(example = 0.62, minimum = 0, maximum = 1)]
    pub score: f64,
}

/// Proposals like the draft, most similar first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarResponse {
    /// Up to 10 proposals.
    #[schema(max_items = 10)]
    pub items: Vec<SimilarItem>,
}

/// The result of a merge.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeResponse {
    /// The duplicate, now `merged`.
    pub proposal: ProposalView,
    /// The surviving proposal's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub merged_into: String,
    /// Supports moved to the survivor (people who already supported it, or wrote it, are not counted twice).
    #[schema(example = 42, minimum = 0)]
    pub moved_supports: i64,
}

/// One step on a proposal's public timeline. Citizens appear only as `author`; staff by role.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEventView {
    /// The event's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What happened.
    pub kind: crate::vocab::TimelineEventKind,
    /// Who acted.
    pub actor_role: crate::vocab::ActorRole,
    /// The status before, for `submitted` (`null`) and status changes; `null` otherwise.
    #[schema(required = true)]
    pub from_status: Option<crate::vocab::ProposalStatus>,
    /// The status after, for `submitted` and status changes; `null` otherwise.
    #[schema(required = true)]
    pub to_status: Option<crate::vocab::ProposalStatus>,
    /// The stated reason (a decision's, a transfer's, an extension's; for `referral_commitment_updated`
    /// the commitment's new status); `null` if none.
    #[schema(example = "이미 시행 중인 정책입니다.", required = true)]
    pub reason: Option<String>,
    /// For `merged`: the survivor; for `absorbed`: the duplicate; `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub related_proposal_id: Option<String>,
    /// For `absorbed`: how many supports moved over; `null` otherwise.
    #[schema(example = json!(null), required = true, minimum = 0)]
    pub moved_supports: Option<i64>,
    /// For `referral_*`: the referral (`GET /referrals/{id}`); `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub referral_id: Option<String>,
    /// For `referral_*`: the organization holding the referral after the step; `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub organization_id: Option<String>,
    /// For `referral_answered`: the decision; `null` otherwise.
    #[schema(required = true)]
    pub decision: Option<crate::vocab::Decision>,
    /// When it happened (RFC 3339, UTC).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl From<ProposalEvent> for TimelineEventView {
    fn from(e: ProposalEvent) -> Self {
        Self {
            id: e.id.to_string(),
            kind: e.kind.into(),
            actor_role: e.actor_role.into(),
            from_status: e.from_status.map(Into::into),
            to_status: e.to_status.map(Into::into),
            reason: e.reason,
            related_proposal_id: e.related_proposal_id.map(|p| p.to_string()),
            moved_supports: e.count,
            referral_id: e.referral.as_ref().map(|r| r.referral_id.clone()),
            organization_id: e.referral.as_ref().and_then(|r| r.organization_id.clone()),
            decision: e
                .referral
                .as_ref()
                .and_then(|r| r.decision.as_deref())
                .and_then(|d| d.parse::<ocf_domain::referral::Decision>().ok())
                .map(Into::into),
            created_at: e.created_at,
        }
    }
}
