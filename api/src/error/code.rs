//! The table of every problem `code` the API can send, with its HTTP status and `title`.

use actix_web::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $title:literal,)+) => {
        /// The stable, machine-readable `code` of a problem; clients branch on it, never on `detail`.
        /// This is the one list of codes the API can send: the document's `enum` comes from it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[schema(example = "validation_failed")]
        pub enum ErrorCode {
            $($variant,)+
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            /// The HTTP status every problem with this code has.
            pub fn status(self) -> StatusCode {
                match self {
                    $(ErrorCode::$variant => StatusCode::from_u16($status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),)+
                }
            }

            /// The problem's `title`: the same for every occurrence of the code.
            pub fn title(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $title,)+
                }
            }
        }
    };
}

error_codes! {
    MalformedJson = "malformed_json", 400, "Malformed JSON",
    InvalidQuery = "invalid_query", 400, "Invalid query string",
    BadRequest = "bad_request", 400, "Bad request",
    InvalidHeader = "invalid_header", 400, "Bad request",
    Unauthenticated = "unauthenticated", 401, "Authentication required",
    InvalidToken = "invalid_token", 401, "Authentication required",
    InvalidCredentials = "invalid_credentials", 401, "Authentication required",
    InvalidRefreshToken = "invalid_refresh_token", 401, "Authentication required",
    RefreshTokenReused = "refresh_token_reused", 401, "Authentication required",
    Forbidden = "forbidden", 403, "Forbidden",
    NotAuthor = "not_author", 403, "Forbidden",
    OwnProposal = "own_proposal", 403, "Forbidden",
    OwnTopic = "own_topic", 403, "Forbidden",
    OwnComment = "own_comment", 403, "Forbidden",
    NotForumManager = "not_forum_manager", 403, "Forbidden",
    NotReceivingOrganization = "not_receiving_organization", 403, "Forbidden",
    WrongChannel = "wrong_channel", 403, "Forbidden",
    InsufficientScope = "insufficient_scope", 403, "Forbidden",
    ChannelSuspended = "channel_suspended", 403, "Forbidden",
    NotFound = "not_found", 404, "Not found",
    RouteNotFound = "route_not_found", 404, "Not found",
    MethodNotAllowed = "method_not_allowed", 405, "Method not allowed",
    AlreadyExists = "already_exists", 409, "Conflict",
    CannotRemoveOwnAdmin = "cannot_remove_own_admin", 409, "Conflict",
    InvalidTransition = "invalid_transition", 409, "Conflict",
    ProposalNotEditable = "proposal_not_editable", 409, "Conflict",
    ProposalMerged = "proposal_merged", 409, "Conflict",
    ProposalClosed = "proposal_closed", 409, "Conflict",
    TopicNotEditable = "topic_not_editable", 409, "Conflict",
    TopicClosed = "topic_closed", 409, "Conflict",
    MergeTargetClosed = "merge_target_closed", 409, "Conflict",
    ForumNotEditable = "forum_not_editable", 409, "Conflict",
    ForumFieldLocked = "forum_field_locked", 409, "Conflict",
    LivestreamRequired = "livestream_required", 409, "Conflict",
    OutcomeRequired = "outcome_required", 409, "Conflict",
    CapacityBelowRegistered = "capacity_below_registered", 409, "Conflict",
    TopicNotShortlisted = "topic_not_shortlisted", 409, "Conflict",
    AlreadyRegistered = "already_registered", 409, "Conflict",
    RegistrationNotOpen = "registration_not_open", 409, "Conflict",
    RegistrationClosed = "registration_closed", 409, "Conflict",
    ForumNotHeld = "forum_not_held", 409, "Conflict",
    ForumNotEnded = "forum_not_ended", 409, "Conflict",
    CommentDeleted = "comment_deleted", 409, "Conflict",
    SubjectClosed = "subject_closed", 409, "Conflict",
    ForumNotLive = "forum_not_live", 409, "Conflict",
    QuestionOnStage = "question_on_stage", 409, "Conflict",
    SubjectNotReferable = "subject_not_referable", 409, "Conflict",
    SubjectAlreadyReferred = "subject_already_referred", 409, "Conflict",
    ReferralAlreadyAcknowledged = "referral_already_acknowledged", 409, "Conflict",
    ReferralNotAcknowledged = "referral_not_acknowledged", 409, "Conflict",
    ReferralAlreadyAnswered = "referral_already_answered", 409, "Conflict",
    ReferralNotAnswered = "referral_not_answered", 409, "Conflict",
    ReferralAlreadyExtended = "referral_already_extended", 409, "Conflict",
    ReferralNotAccepted = "referral_not_accepted", 409, "Conflict",
    ReferralClosed = "referral_closed", 409, "Conflict",
    ReportAlreadyResolved = "report_already_resolved", 409, "Conflict",
    AlreadyHidden = "already_hidden", 409, "Conflict",
    NotHidden = "not_hidden", 409, "Conflict",
    ConcurrentUpdate = "concurrent_update", 409, "Conflict",
    IdempotencyKeyInUse = "idempotency_key_in_use", 409, "Conflict",
    IdempotencyKeyReused = "idempotency_key_reused", 422, "Unprocessable content",
    PayloadTooLarge = "payload_too_large", 413, "Payload too large",
    UnsupportedMediaType = "unsupported_media_type", 415, "Unsupported media type",
    ValidationFailed = "validation_failed", 422, "Validation failed",
    TooManyRequests = "too_many_requests", 429, "Too many requests",
    InternalError = "internal_error", 500, "Internal server error",
    ServiceUnavailable = "service_unavailable", 503, "Service unavailable",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
