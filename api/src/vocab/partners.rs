//! The partner channels' vocabulary: kinds and states of channels, machine scopes, webhook endpoints,
//! deliveries and event types, and the outcome of a bulk import's line.

use ocf_domain::partner;
use ocf_domain::webhook;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

vocabulary!(
    /// What kind of platform a partner channel is.
    #[schema(example = "idea_box")]
    ChannelKind from partner::ChannelKind {
        IdeaBox, EPeople, LocalGovernment, Other,
    }
);

vocabulary!(
    /// Whether a channel's machines may act: `suspended` stops its tokens at once.
    #[schema(example = "active")]
    ChannelStatus from partner::ChannelStatus {
        Active, Suspended,
    }
);

/// What a machine token may do (OAuth 2.0 scopes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = "proposals:write")]
pub enum Scope {
    /// Create and update the channel's proposals, link records.
    #[serde(rename = "proposals:write")]
    ProposalsWrite,
    /// Read the status of the channel's records.
    #[serde(rename = "proposals:read")]
    ProposalsRead,
    /// Manage the channel's webhooks.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl From<partner::Scope> for Scope {
    fn from(value: partner::Scope) -> Self {
        match value {
            partner::Scope::ProposalsWrite => Self::ProposalsWrite,
            partner::Scope::ProposalsRead => Self::ProposalsRead,
            partner::Scope::WebhooksManage => Self::WebhooksManage,
        }
    }
}

vocabulary!(
    /// Whether a webhook endpoint receives deliveries: `disabled` by its owner, or after it answered
    /// `410 Gone`.
    #[schema(example = "active")]
    EndpointStatus from webhook::EndpointStatus {
        Active, Disabled,
    }
);

vocabulary!(
    /// Where a webhook delivery stands: `pending` (to be tried or retried), `succeeded`, or `failed`
    /// (given up after 3 days, or `410 Gone`).
    #[schema(example = "succeeded")]
    DeliveryStatus from webhook::DeliveryStatus {
        Pending, Succeeded, Failed,
    }
);

/// What a partner can subscribe a webhook endpoint to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = "proposal.status_changed")]
pub enum WebhookEventType {
    #[serde(rename = "proposal.created")]
    ProposalCreated,
    #[serde(rename = "proposal.status_changed")]
    ProposalStatusChanged,
    #[serde(rename = "proposal.merged")]
    ProposalMerged,
    #[serde(rename = "referral.sent")]
    ReferralSent,
    #[serde(rename = "referral.answered")]
    ReferralAnswered,
    #[serde(rename = "referral.completed")]
    ReferralCompleted,
    #[serde(rename = "forum.scheduled")]
    ForumScheduled,
    #[serde(rename = "forum.live")]
    ForumLive,
    #[serde(rename = "forum.ended")]
    ForumEnded,
    #[serde(rename = "forum.reported")]
    ForumReported,
}

impl From<webhook::WebhookEventType> for WebhookEventType {
    fn from(value: webhook::WebhookEventType) -> Self {
        use webhook::WebhookEventType as W;
        match value {
            W::ProposalCreated => Self::ProposalCreated,
            W::ProposalStatusChanged => Self::ProposalStatusChanged,
            W::ProposalMerged => Self::ProposalMerged,
            W::ReferralSent => Self::ReferralSent,
            W::ReferralAnswered => Self::ReferralAnswered,
            W::ReferralCompleted => Self::ReferralCompleted,
            W::ForumScheduled => Self::ForumScheduled,
            W::ForumLive => Self::ForumLive,
            W::ForumEnded => Self::ForumEnded,
            W::ForumReported => Self::ForumReported,
        }
    }
}

/// What became of one line of a bulk import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "created")]
pub enum BulkLineStatus {
    Created,
    Updated,
    Unchanged,
    Error,
}
