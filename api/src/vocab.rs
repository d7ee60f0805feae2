//! The closed sets of values the API speaks (statuses, roles, kinds, ...), as enums the OpenAPI document
//! lists. Each mirrors a domain type variant for variant; `From` is an exhaustive match, so a new domain
//! variant does not compile until it is listed here, and the tests check both spell every value alike.
//! Responses carry these types; requests and query strings keep their text (`value_type = ...`) so that the
//! domain parsers still decide, with their own messages, what is accepted.

use ocf_domain::account;
use ocf_domain::comment;
use ocf_domain::forum;
use ocf_domain::forum::registration;
use ocf_domain::moderation;
use ocf_domain::organization;
use ocf_domain::partner;
use ocf_domain::proposal;
use ocf_domain::proposal::query;
use ocf_domain::referral;
use ocf_domain::stats::funnel as stats;
use ocf_domain::topic;
use ocf_domain::webhook;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident from $module:ident :: $domain:ident { $($variant:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        $(#[$m])*
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl From<$module::$domain> for $name {
            fn from(value: $module::$domain) -> Self {
                match value {
                    $($module::$domain::$variant => Self::$variant),+
                }
            }
        }
    };
}

vocabulary!(
    /// A proposal's place in the funnel.
    #[schema(example = "submitted")]
    ProposalStatus from proposal::ProposalStatus {
        Submitted, UnderReview, Selected, Rejected, Merged, Referred, Answered, Implemented, Withdrawn,
    }
);

vocabulary!(
    /// Where a proposal applies: the whole country or one of the 17 metropolitan and provincial
    /// governments.
    #[schema(example = "seoul")]
    Region from proposal::Region {
        Nationwide, Seoul, Busan, Daegu, Incheon, Gwangju, Daejeon, Ulsan, Sejong, Gyeonggi, Gangwon,
        Chungbuk, Chungnam, Jeonbuk, Jeonnam, Gyeongbuk, Gyeongnam, Jeju,
    }
);

vocabulary!(
    /// What happened to a proposal.
    #[schema(example = "status_changed")]
    TimelineEventKind from proposal::EventKind {
        Submitted, Edited, StatusChanged, Withdrawn, Merged, Absorbed, Hidden, Unhidden, ReferralSent,
        ReferralAcknowledged, ReferralAnswered, ReferralFollowedUp, ReferralCommitmentUpdated,
        ReferralExtended, ReferralTransferred, ReferralCompleted,
    }
);

vocabulary!(
    /// Who acted, as the public record shows it: citizens only as `author`, staff by role, the platform
    /// itself as `system`.
    #[schema(example = "moderator")]
    ActorRole from proposal::ActorRole {
        Author, Moderator, Admin, Official, System,
    }
);

vocabulary!(
    /// What an account may do.
    #[schema(example = "citizen")]
    Role from account::Role {
        Citizen, Moderator, Official, Admin,
    }
);

vocabulary!(
    /// What kind of body an organization is.
    #[schema(example = "ministry")]
    OrganizationKind from organization::OrganizationKind {
        Ministry, Agency, Committee, LocalGovernment, Other,
    }
);

vocabulary!(
    /// A moderator's decision on a report: `uphold` hides the reported content, `dismiss` shows it.
    #[schema(example = "uphold")]
    ReportDecision from moderation::ReportDecision {
        Uphold, Dismiss,
    }
);

vocabulary!(
    /// A public moderation decision.
    #[schema(example = "hide")]
    ModerationAction from moderation::ModerationAction {
        Hide, Unhide, AutoHide, ReportUpheld, ReportDismissed,
    }
);

vocabulary!(
    /// The order of a proposal list: `newest` (default), `most_supported`, `trending` (supports gained in
    /// the last 7 days) or `recently_updated`.
    #[schema(example = "most_supported")]
    ProposalSort from query::ProposalSort {
        Newest, MostSupported, Trending, RecentlyUpdated,
    }
);

/// The statuses staff may set by decision (`Proposal::decide`); the others follow from other actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "under_review")]
pub enum ReviewStatus {
    UnderReview,
    Selected,
    Rejected,
}

impl ReviewStatus {
    pub const ALL: &'static [ReviewStatus] = &[
        ReviewStatus::UnderReview,
        ReviewStatus::Selected,
        ReviewStatus::Rejected,
    ];
}

/// Whether a report still awaits a moderator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "open")]
pub enum ReportStatus {
    Open,
    Resolved,
}

impl ReportStatus {
    pub const ALL: &'static [ReportStatus] = &[ReportStatus::Open, ReportStatus::Resolved];
}

/// What kind of content a report or a moderation decision concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "proposal")]
pub enum ModeratedKind {
    Proposal,
    Topic,
    Comment,
}

impl From<ocf_domain::moderation::Target> for ModeratedKind {
    fn from(t: ocf_domain::moderation::Target) -> Self {
        match t {
            ocf_domain::moderation::Target::Proposal(_) => Self::Proposal,
            ocf_domain::moderation::Target::Topic(_) => Self::Topic,
            ocf_domain::moderation::Target::Comment(_) => Self::Comment,
        }
    }
}

vocabulary!(
    /// A topic's place on the agenda: `suggested -> shortlisted -> scheduled -> discussed -> closed`, or
    /// `declined`.
    #[schema(example = "suggested")]
    TopicStatus from topic::TopicStatus {
        Suggested, Shortlisted, Scheduled, Discussed, Closed, Declined,
    }
);

/// The order of a topic list: `most_voted` (default), `newest` or `trending` (votes gained in the last 7
/// days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "most_voted")]
pub enum TopicSort {
    MostVoted,
    Newest,
    Trending,
}

impl From<TopicSort> for topic::query::TopicSort {
    fn from(s: TopicSort) -> Self {
        match s {
            TopicSort::MostVoted => Self::MostVoted,
            TopicSort::Newest => Self::Newest,
            TopicSort::Trending => Self::Trending,
        }
    }
}

vocabulary!(
    /// What kind of forum it is.
    #[schema(example = "open_forum")]
    ForumKind from forum::ForumKind { OpenForum, RegionalConference, PolicyConference }
);

vocabulary!(
    /// Where a forum takes place: in a room (`offline`), on the stream (`online`) or both (`hybrid`).
    #[schema(example = "hybrid")]
    ForumMode from forum::ForumMode { Offline, Online, Hybrid }
);

vocabulary!(
    /// A forum's lifecycle: `draft -> scheduled -> live -> ended -> reported`, or `cancelled` before
    /// `live`.
    #[schema(example = "scheduled")]
    ForumStatus from forum::ForumStatus { Draft, Scheduled, Live, Ended, Reported, Cancelled }
);

vocabulary!(
    /// What a panel member speaks as.
    #[schema(example = "expert")]
    SpeakerRole from forum::SpeakerRole { Citizen, Expert, Official, Facilitator }
);

vocabulary!(
    /// Where a registration stands.
    #[schema(example = "registered")]
    RegistrationStatus from registration::RegistrationStatus { Registered, Waitlisted, Cancelled }
);

vocabulary!(
    /// How a comment's author is shown: by role, never by identity.
    #[schema(example = "citizen")]
    CommentAuthorRole from comment::AuthorRole { Citizen, Official, Moderator, Admin }
);

vocabulary!(
    /// Where a question to the panel stands: `open -> on_stage -> answered` (or straight to `answered`;
    /// one on stage may go back to `open`). One question per forum is on stage at a time.
    #[schema(example = "open")]
    QuestionStatus from comment::QuestionStatus { Open, OnStage, Answered }
);

/// The order of a forum's questions: `votes` (most voted first, the default) or `newest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "votes")]
pub enum QuestionSort {
    Votes,
    Newest,
}

/// The order of a forum list: `starts_at` (soonest first, the default) or `newest` (latest created).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "starts_at")]
pub enum ForumSort {
    StartsAt,
    Newest,
}

/// The order of a comment level: `oldest` (default), `newest` or `most_liked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "oldest")]
pub enum CommentSort {
    Oldest,
    Newest,
    MostLiked,
}

vocabulary!(
    /// Where a referral stands: `sent -> acknowledged -> answered -> implemented`; `closed` after a
    /// `not_accepted` answer; a transfer makes it `sent` again, at the next organization.
    #[schema(example = "sent")]
    ReferralStatus from referral::ReferralStatus {
        Sent, Acknowledged, Answered, Implemented, Closed,
    }
);

vocabulary!(
    /// What is referred: a selected proposal, or a reported forum's outcome.
    #[schema(example = "proposal")]
    ReferralSubjectKind from referral::SubjectKind {
        Proposal, Forum,
    }
);

vocabulary!(
    /// The organization's answer.
    #[schema(example = "accepted")]
    Decision from referral::Decision {
        Accepted, PartiallyAccepted, NotAccepted,
    }
);

vocabulary!(
    /// A stage of the funnel: a proposal reached it once it got there, whatever came after.
    #[schema(example = "selected")]
    FunnelStage from stats::Stage {
        Collected, UnderReview, Selected, Rejected, Merged, Referred, Answered, Implemented,
    }
);

vocabulary!(
    /// Where a commitment stands.
    #[schema(example = "planned")]
    CommitmentStatus from referral::CommitmentStatus {
        Planned, InProgress, Done, Dropped,
    }
);

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

#[cfg(test)]
mod tests {
    use super::*;

    fn name<T: Serialize>(v: T) -> String {
        serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    #[test]
    fn every_value_is_spelled_as_the_domain_spells_it() {
        for s in proposal::ProposalStatus::ALL {
            assert_eq!(name(ProposalStatus::from(*s)), s.as_str());
        }
        for k in partner::ChannelKind::ALL {
            assert_eq!(name(ChannelKind::from(*k)), k.as_str());
        }
        for s in partner::ChannelStatus::ALL {
            assert_eq!(name(ChannelStatus::from(*s)), s.as_str());
        }
        for s in partner::Scope::ALL {
            assert_eq!(name(Scope::from(*s)), s.as_str());
        }
        for s in webhook::EndpointStatus::ALL {
            assert_eq!(name(EndpointStatus::from(*s)), s.as_str());
        }
        for s in webhook::DeliveryStatus::ALL {
            assert_eq!(name(DeliveryStatus::from(*s)), s.as_str());
        }
        for t in webhook::WebhookEventType::ALL {
            assert_eq!(name(WebhookEventType::from(*t)), t.as_str());
        }
        for s in topic::TopicStatus::ALL {
            assert_eq!(name(TopicStatus::from(*s)), s.as_str());
        }
        for k in forum::ForumKind::ALL {
            assert_eq!(name(ForumKind::from(*k)), k.as_str());
        }
        for m in forum::ForumMode::ALL {
            assert_eq!(name(ForumMode::from(*m)), m.as_str());
        }
        for s in forum::ForumStatus::ALL {
            assert_eq!(name(ForumStatus::from(*s)), s.as_str());
        }
        for r in forum::SpeakerRole::ALL {
            assert_eq!(name(SpeakerRole::from(*r)), r.as_str());
        }
        for s in registration::RegistrationStatus::ALL {
            assert_eq!(name(RegistrationStatus::from(*s)), s.as_str());
        }
        for r in comment::AuthorRole::ALL {
            assert_eq!(name(CommentAuthorRole::from(*r)), r.as_str());
        }
        for s in comment::QuestionStatus::ALL {
            assert_eq!(name(QuestionStatus::from(*s)), s.as_str());
        }
        for r in proposal::Region::ALL {
            assert_eq!(name(Region::from(*r)), r.as_str());
        }
        for k in proposal::EventKind::ALL {
            assert_eq!(name(TimelineEventKind::from(*k)), k.as_str());
        }
        for r in ActorRole::ALL {
            assert_eq!(
                proposal::ActorRole::parse(&name(*r)).map(ActorRole::from),
                Ok(*r)
            );
        }
        for s in referral::ReferralStatus::ALL {
            assert_eq!(name(ReferralStatus::from(*s)), s.as_str());
        }
        for k in referral::SubjectKind::ALL {
            assert_eq!(name(ReferralSubjectKind::from(*k)), k.as_str());
        }
        for d in referral::Decision::ALL {
            assert_eq!(name(Decision::from(*d)), d.as_str());
        }
        for s in stats::Stage::ALL {
            assert_eq!(name(FunnelStage::from(*s)), s.as_str());
        }
        for s in referral::CommitmentStatus::ALL {
            assert_eq!(name(CommitmentStatus::from(*s)), s.as_str());
        }
        for r in account::Role::ALL {
            assert_eq!(name(Role::from(r)), r.as_str());
        }
        for k in organization::OrganizationKind::ALL {
            assert_eq!(name(OrganizationKind::from(k)), k.as_str());
        }
        for d in ReportDecision::ALL {
            assert_eq!(
                moderation::ReportDecision::parse(&name(*d)).map(ReportDecision::from),
                Ok(*d)
            );
        }
        for s in ReviewStatus::ALL {
            assert!(name(*s).parse::<proposal::ProposalStatus>().is_ok());
        }
        for a in ModerationAction::ALL {
            assert_eq!(
                moderation::ModerationAction::parse(&name(*a)).map(ModerationAction::from),
                Ok(*a)
            );
        }
    }
}
