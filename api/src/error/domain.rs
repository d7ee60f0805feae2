//! Domain errors become API errors here: each rule broken, each storage outcome, to its status and code.

use ocf_domain::comment::CommentError;
use ocf_domain::event::AggregateKind;
use ocf_domain::forum::ForumError;
use ocf_domain::moderation::ModerationError;
use ocf_domain::proposal::ProposalError;
use ocf_domain::referral::ReferralError;
use ocf_domain::topic::TopicError;
use ocf_domain::{RepoError, UseCaseError, ValidationErrors};

use super::{ApiError, ErrorCode};

impl From<RepoError> for ApiError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::Duplicate { field } => Self::Conflict {
                code: ErrorCode::AlreadyExists,
                detail: format!("a record with this {field} already exists"),
            },
            RepoError::NotFound(what) => Self::NotFound(format!("{what} not found")),
            RepoError::Conflict(what) => Self::Conflict {
                code: ErrorCode::ConcurrentUpdate,
                detail: format!(
                    "the {what} was changed by someone else meanwhile; read it again and retry"
                ),
            },
            RepoError::Unavailable(why) => Self::Unavailable(why),
            RepoError::Backend(cause) => Self::Internal(cause),
        }
    }
}

impl From<ProposalError> for ApiError {
    fn from(e: ProposalError) -> Self {
        let detail = e.to_string();
        let conflict = |code| Self::Conflict {
            code,
            detail: detail.clone(),
        };
        match e {
            ProposalError::NotAuthor => Self::Refused {
                code: ErrorCode::NotAuthor,
                detail,
            },
            ProposalError::OwnProposal => Self::Refused {
                code: ErrorCode::OwnProposal,
                detail,
            },
            ProposalError::NotEditable { .. } => conflict(ErrorCode::ProposalNotEditable),
            ProposalError::InvalidTransition { .. } => conflict(ErrorCode::InvalidTransition),
            ProposalError::Merged { .. } => conflict(ErrorCode::ProposalMerged),
            ProposalError::NotOpen { .. } => conflict(ErrorCode::ProposalClosed),
            ProposalError::MergeTargetClosed { .. } => conflict(ErrorCode::MergeTargetClosed),
            ProposalError::NotAModeratorStatus { .. } => Self::validation("status", detail),
            ProposalError::ReasonRequired => Self::validation("reason", detail),
            ProposalError::MergeIntoSelf => Self::validation("into", detail),
        }
    }
}

impl From<ModerationError> for ApiError {
    fn from(e: ModerationError) -> Self {
        let detail = e.to_string();
        match e {
            ModerationError::OwnContent { kind } => Self::Refused {
                code: match kind {
                    AggregateKind::Topic => ErrorCode::OwnTopic,
                    AggregateKind::Comment => ErrorCode::OwnComment,
                    _ => ErrorCode::OwnProposal,
                },
                detail,
            },
            ModerationError::AlreadyResolved => Self::Conflict {
                code: ErrorCode::ReportAlreadyResolved,
                detail,
            },
            ModerationError::AlreadyHidden => Self::Conflict {
                code: ErrorCode::AlreadyHidden,
                detail,
            },
            ModerationError::NotHidden => Self::Conflict {
                code: ErrorCode::NotHidden,
                detail,
            },
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        Self::Validation(e)
    }
}

impl From<TopicError> for ApiError {
    fn from(e: TopicError) -> Self {
        let detail = e.to_string();
        let conflict = |code| Self::Conflict {
            code,
            detail: detail.clone(),
        };
        match e {
            TopicError::NotAuthor => Self::Refused {
                code: ErrorCode::NotAuthor,
                detail,
            },
            TopicError::OwnTopic => Self::Refused {
                code: ErrorCode::OwnTopic,
                detail,
            },
            TopicError::NotEditable { .. } => conflict(ErrorCode::TopicNotEditable),
            TopicError::InvalidTransition { .. } => conflict(ErrorCode::InvalidTransition),
            TopicError::NotOpen { .. } => conflict(ErrorCode::TopicClosed),
            TopicError::ReasonRequired => Self::validation("reason", detail),
        }
    }
}

impl From<UseCaseError> for ApiError {
    fn from(e: UseCaseError) -> Self {
        match e {
            UseCaseError::NotFound(what) => Self::NotFound(what),
            UseCaseError::Invalid(v) => Self::Validation(v),
            UseCaseError::Proposal(e) => e.into(),
            UseCaseError::Topic(e) => e.into(),
            UseCaseError::Moderation(e) => e.into(),
            UseCaseError::Forum(e) => e.into(),
            UseCaseError::Comment(e) => e.into(),
            UseCaseError::Referral(e) => e.into(),
            UseCaseError::Repo(e) => e.into(),
        }
    }
}

impl From<ForumError> for ApiError {
    fn from(e: ForumError) -> Self {
        let detail = e.to_string();
        let conflict = |code| Self::Conflict {
            code,
            detail: detail.clone(),
        };
        match e {
            ForumError::NotManager => Self::Refused {
                code: ErrorCode::NotForumManager,
                detail,
            },
            ForumError::InvalidTransition { .. } => conflict(ErrorCode::InvalidTransition),
            ForumError::ReasonRequired => Self::validation("reason", detail),
            ForumError::LivestreamRequired { .. } => conflict(ErrorCode::LivestreamRequired),
            ForumError::OutcomeRequired => conflict(ErrorCode::OutcomeRequired),
            ForumError::FieldLocked { .. } => conflict(ErrorCode::ForumFieldLocked),
            ForumError::NotEditable { .. } => conflict(ErrorCode::ForumNotEditable),
            ForumError::CapacityBelowRegistered { .. } => {
                conflict(ErrorCode::CapacityBelowRegistered)
            }
            ForumError::TopicNotShortlisted { .. } => conflict(ErrorCode::TopicNotShortlisted),
            ForumError::Invalid(v) => Self::Validation(v),
            ForumError::AlreadyRegistered => conflict(ErrorCode::AlreadyRegistered),
            ForumError::RegistrationNotOpen { .. } => conflict(ErrorCode::RegistrationNotOpen),
            ForumError::RegistrationClosed => conflict(ErrorCode::RegistrationClosed),
            ForumError::NotHeldYet { .. } => conflict(ErrorCode::ForumNotHeld),
            ForumError::NotEnded { .. } => conflict(ErrorCode::ForumNotEnded),
            ForumError::NotLive { .. } => conflict(ErrorCode::ForumNotLive),
        }
    }
}

impl From<CommentError> for ApiError {
    fn from(e: CommentError) -> Self {
        let detail = e.to_string();
        let conflict = |code| Self::Conflict {
            code,
            detail: detail.clone(),
        };
        match e {
            CommentError::NotAuthor => Self::Refused {
                code: ErrorCode::NotAuthor,
                detail,
            },
            CommentError::OwnComment | CommentError::OwnQuestion => Self::Refused {
                code: ErrorCode::OwnComment,
                detail,
            },
            CommentError::Deleted => conflict(ErrorCode::CommentDeleted),
            CommentError::SubjectClosed { .. } => conflict(ErrorCode::SubjectClosed),
            CommentError::NotLive | CommentError::QuestionNotLive => {
                conflict(ErrorCode::ForumNotLive)
            }
            CommentError::NotAQuestion => Self::NotFound("question not found".to_owned()),
            CommentError::QuestionMove { .. } => conflict(ErrorCode::InvalidTransition),
            CommentError::AnotherOnStage(_) => conflict(ErrorCode::QuestionOnStage),
        }
    }
}

impl From<ReferralError> for ApiError {
    fn from(e: ReferralError) -> Self {
        let detail = e.to_string();
        let conflict = |code| Self::Conflict {
            code,
            detail: detail.clone(),
        };
        match e {
            ReferralError::NotReceivingOrganization => Self::Refused {
                code: ErrorCode::NotReceivingOrganization,
                detail,
            },
            ReferralError::SubjectNotReferable { .. } => conflict(ErrorCode::SubjectNotReferable),
            ReferralError::SubjectAlreadyReferred { .. } => {
                conflict(ErrorCode::SubjectAlreadyReferred)
            }
            ReferralError::AlreadyAcknowledged => conflict(ErrorCode::ReferralAlreadyAcknowledged),
            ReferralError::NotAcknowledged => conflict(ErrorCode::ReferralNotAcknowledged),
            ReferralError::AlreadyAnswered => conflict(ErrorCode::ReferralAlreadyAnswered),
            ReferralError::NotAnswered => conflict(ErrorCode::ReferralNotAnswered),
            ReferralError::AlreadyExtended => conflict(ErrorCode::ReferralAlreadyExtended),
            ReferralError::NotAccepted => conflict(ErrorCode::ReferralNotAccepted),
            ReferralError::Closed { .. } => conflict(ErrorCode::ReferralClosed),
            ReferralError::SameOrganization => Self::validation("organization_id", detail),
            ReferralError::Due(why) => Self::validation("due_on", why),
            ReferralError::NoSuchCommitment => Self::NotFound("commitment not found".to_owned()),
        }
    }
}
