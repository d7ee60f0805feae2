//! One error type for the whole API, one table from error to status and stable `code`, and RFC 9457
//! `application/problem+json` out. Internal causes are logged with the request id and never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use ocf_domain::ValidationErrors;
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_id;

mod domain;

pub const PROBLEM_JSON: &str = "application/problem+json";

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

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    MalformedJson(String),
    #[error("{0}")]
    InvalidQuery(String),
    #[error("{0}")]
    Validation(ValidationErrors),
    #[error("{detail}")]
    Unauthenticated { code: ErrorCode, detail: String },
    #[error("{0}")]
    Forbidden(String),
    /// Allowed in general but refused by a rule, with its own code (e.g. supporting one's own proposal).
    #[error("{detail}")]
    Refused { code: ErrorCode, detail: String },
    #[error("{0}")]
    NotFound(String),
    #[error("no route for this path")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("{detail}")]
    Conflict { code: ErrorCode, detail: String },
    /// Any other refusal, with the status of its code.
    #[error("{detail}")]
    Rejected { code: ErrorCode, detail: String },
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("too many requests; retry after {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    #[error("{0}")]
    Unavailable(String),
    /// This instance is at a bound it keeps on purpose (e.g. concurrent password hashing); retry shortly.
    #[error("{detail}")]
    Busy { detail: String, retry_after: u64 },
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// An equivalent error for a second recipient (a cause is boxed, so errors are not `Clone`; an internal
    /// error's copy keeps its message for the log).
    pub fn copy(&self) -> Self {
        match self {
            Self::MalformedJson(s) => Self::MalformedJson(s.clone()),
            Self::InvalidQuery(s) => Self::InvalidQuery(s.clone()),
            Self::Validation(v) => Self::Validation(v.clone()),
            Self::Unauthenticated { code, detail } => Self::Unauthenticated {
                code: *code,
                detail: detail.clone(),
            },
            Self::Forbidden(s) => Self::Forbidden(s.clone()),
            Self::Refused { code, detail } => Self::Refused {
                code: *code,
                detail: detail.clone(),
            },
            Self::NotFound(s) => Self::NotFound(s.clone()),
            Self::RouteNotFound => Self::RouteNotFound,
            Self::MethodNotAllowed { allow } => Self::MethodNotAllowed {
                allow: allow.clone(),
            },
            Self::Conflict { code, detail } => Self::Conflict {
                code: *code,
                detail: detail.clone(),
            },
            Self::Rejected { code, detail } => Self::Rejected {
                code: *code,
                detail: detail.clone(),
            },
            Self::PayloadTooLarge { limit } => Self::PayloadTooLarge { limit: *limit },
            Self::UnsupportedMediaType(s) => Self::UnsupportedMediaType(s.clone()),
            Self::TooManyRequests { retry_after } => Self::TooManyRequests {
                retry_after: *retry_after,
            },
            Self::Unavailable(s) => Self::Unavailable(s.clone()),
            Self::Busy {
                detail,
                retry_after,
            } => Self::Busy {
                detail: detail.clone(),
                retry_after: *retry_after,
            },
            Self::Internal(cause) => Self::Internal(cause.to_string().into()),
        }
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(ValidationErrors::single(field, message))
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::Unauthenticated {
            code: ErrorCode::Unauthenticated,
            detail: detail.into(),
        }
    }

    pub fn invalid_token(detail: impl Into<String>) -> Self {
        Self::Unauthenticated {
            code: ErrorCode::InvalidToken,
            detail: detail.into(),
        }
    }

    /// The stable, machine-readable `code` of this problem.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MalformedJson(_) => ErrorCode::MalformedJson,
            Self::InvalidQuery(_) => ErrorCode::InvalidQuery,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::Unauthenticated { code, .. }
            | Self::Refused { code, .. }
            | Self::Conflict { code, .. }
            | Self::Rejected { code, .. } => *code,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::RouteNotFound => ErrorCode::RouteNotFound,
            Self::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            Self::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            Self::Unavailable(_) | Self::Busy { .. } => ErrorCode::ServiceUnavailable,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// The stable, machine-readable `code` and the short `title` of each kind of problem.
    /// The problem body this error answers with (also embedded per line in NDJSON results). Internal
    /// causes are logged here and never sent.
    pub fn problem(&self) -> Problem {
        let request_id = request_id::current();
        let (code, title) = self.code_and_title();
        let detail = match self {
            Self::Internal(cause) => {
                log::error!("request {request_id}: internal error: {cause:?}");
                "An unexpected error occurred; quote the request id when you report it.".to_owned()
            }
            Self::Unavailable(reason) => {
                log::warn!("request {request_id}: unavailable: {reason}");
                "The database is overloaded or unreachable right now; retry shortly.".to_owned()
            }
            other => other.to_string(),
        };
        let errors = match self {
            Self::Validation(v) => Some(
                v.errors()
                    .iter()
                    .map(|e| FieldProblem {
                        field: e.field.clone(),
                        message: e.message.clone(),
                    })
                    .collect(),
            ),
            _ => None,
        };
        Problem {
            kind: format!("urn:ocf:problem:{code}"),
            title: title.to_owned(),
            status: ResponseError::status_code(self).as_u16(),
            detail,
            code,
            request_id,
            errors,
        }
    }

    pub fn code_and_title(&self) -> (ErrorCode, &'static str) {
        let code = self.code();
        (code, code.title())
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:ocf:problem:` followed by `code`.
    #[schema(example = "urn:ocf:problem:validation_failed")]
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem; the same for every occurrence.
    #[schema(example = "Validation failed")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422, minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong this time, for people.
    #[schema(example = "password: must be at least 10 characters")]
    pub detail: String,
    /// A stable, machine-readable error code; clients branch on this, never on `detail`.
    pub code: ErrorCode,
    /// The id of this request, also in the `X-Request-Id` header and in the server log.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub request_id: String,
    /// For `validation_failed` only (absent otherwise): every invalid field at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, min_items = 1)]
    pub errors: Option<Vec<FieldProblem>>,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field as the client named it; nested fields use dots (`roles.0`), the whole body is `body`.
    #[schema(example = "password")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "must be at least 10 characters")]
    pub message: String,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::MalformedJson(_) | Self::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::Refused { .. } => StatusCode::FORBIDDEN,
            Self::NotFound(_) | Self::RouteNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Rejected { code, .. } => code.status(),
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let problem = self.problem();
        let status = self.status_code();
        let mut response = HttpResponse::build(status)
            .content_type(PROBLEM_JSON)
            .json(problem);
        let headers = response.headers_mut();
        match self {
            Self::Unauthenticated { code, .. } => {
                let value = if *code == ErrorCode::InvalidToken {
                    r#"Bearer realm="ocf", error="invalid_token""#
                } else {
                    r#"Bearer realm="ocf""#
                };
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
            }
            Self::TooManyRequests { retry_after } | Self::Busy { retry_after, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            Self::Unavailable(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(1u64));
            }
            Self::MethodNotAllowed { allow } => {
                if let Ok(v) = HeaderValue::from_str(&allow.join(", ")) {
                    headers.insert(header::ALLOW, v);
                }
            }
            _ => {}
        }
        response
    }
}

pub fn problem_response(
    status: StatusCode,
    code: ErrorCode,
    title: &str,
    detail: String,
    request_id: String,
    errors: Option<Vec<FieldProblem>>,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(PROBLEM_JSON)
        .json(Problem {
            kind: format!("urn:ocf:problem:{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code,
            request_id,
            errors,
        })
}

#[cfg(test)]
mod tests;
