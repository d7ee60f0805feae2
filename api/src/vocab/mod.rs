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
use ocf_domain::proposal;
use ocf_domain::proposal::query;
use ocf_domain::referral;
use ocf_domain::stats::funnel as stats;
use ocf_domain::topic;
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

mod partners;

pub use partners::{
    BulkLineStatus, ChannelKind, ChannelStatus, DeliveryStatus, EndpointStatus, Scope,
    WebhookEventType,
};

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

#[cfg(test)]
mod tests;
