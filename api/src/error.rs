//! One error type for the whole API, one table from error to status and stable `code`, and RFC 9457
//! `application/problem+json` out. Internal causes are logged with the request id and never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use ocf_domain::moderation::ModerationError;
use ocf_domain::proposal::ProposalError;
use ocf_domain::{RepoError, ValidationErrors};
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// The stable, machine-readable `code` of a problem; clients branch on it, never on `detail`.
        /// This is the one list of codes the API can send: the document's `enum` comes from it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[schema(example = "validation_failed")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }
    };
}

error_codes! {
    MalformedJson = "malformed_json",
    InvalidQuery = "invalid_query",
    BadRequest = "bad_request",
    Unauthenticated = "unauthenticated",
    InvalidToken = "invalid_token",
    InvalidCredentials = "invalid_credentials",
    InvalidRefreshToken = "invalid_refresh_token",
    RefreshTokenReused = "refresh_token_reused",
    Forbidden = "forbidden",
    NotAuthor = "not_author",
    OwnProposal = "own_proposal",
    NotFound = "not_found",
    RouteNotFound = "route_not_found",
    MethodNotAllowed = "method_not_allowed",
    AlreadyExists = "already_exists",
    CannotRemoveOwnAdmin = "cannot_remove_own_admin",
    InvalidTransition = "invalid_transition",
    ProposalNotEditable = "proposal_not_editable",
    ProposalMerged = "proposal_merged",
    ProposalClosed = "proposal_closed",
    MergeTargetClosed = "merge_target_closed",
    ReportAlreadyResolved = "report_already_resolved",
    AlreadyHidden = "already_hidden",
    NotHidden = "not_hidden",
    ConcurrentUpdate = "concurrent_update",
    PayloadTooLarge = "payload_too_large",
    UnsupportedMediaType = "unsupported_media_type",
    ValidationFailed = "validation_failed",
    TooManyRequests = "too_many_requests",
    InternalError = "internal_error",
    ServiceUnavailable = "service_unavailable",
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
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("too many requests; retry after {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
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

    /// The stable, machine-readable `code` and the short `title` of each kind of problem.
    pub fn code_and_title(&self) -> (ErrorCode, &'static str) {
        match self {
            Self::MalformedJson(_) => (ErrorCode::MalformedJson, "Malformed JSON"),
            Self::InvalidQuery(_) => (ErrorCode::InvalidQuery, "Invalid query string"),
            Self::Validation(_) => (ErrorCode::ValidationFailed, "Validation failed"),
            Self::Unauthenticated { code, .. } => (*code, "Authentication required"),
            Self::Forbidden(_) => (ErrorCode::Forbidden, "Forbidden"),
            Self::Refused { code, .. } => (*code, "Forbidden"),
            Self::NotFound(_) => (ErrorCode::NotFound, "Not found"),
            Self::RouteNotFound => (ErrorCode::RouteNotFound, "Not found"),
            Self::MethodNotAllowed { .. } => (ErrorCode::MethodNotAllowed, "Method not allowed"),
            Self::Conflict { code, .. } => (*code, "Conflict"),
            Self::PayloadTooLarge { .. } => (ErrorCode::PayloadTooLarge, "Payload too large"),
            Self::UnsupportedMediaType(_) => {
                (ErrorCode::UnsupportedMediaType, "Unsupported media type")
            }
            Self::TooManyRequests { .. } => (ErrorCode::TooManyRequests, "Too many requests"),
            Self::Unavailable(_) => (ErrorCode::ServiceUnavailable, "Service unavailable"),
            Self::Internal(_) => (ErrorCode::InternalError, "Internal server error"),
        }
    }
}

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
            ModerationError::OwnProposal => Self::Refused {
                code: ErrorCode::OwnProposal,
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
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong this time, for people.
    #[schema(example = "password: must be at least 10 characters")]
    pub detail: String,
    /// A stable, machine-readable error code; clients branch on this, never on `detail`.
    pub code: ErrorCode,
    /// The id of this request, also in the `X-Request-Id` header and in the server log.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub request_id: String,
    /// For `validation_failed`: every invalid field at once.
    #[serde(skip_serializing_if = "Option::is_none")]
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
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = request_id::current();
        let status = self.status_code();
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
        let mut response = problem_response(status, code, title, detail, request_id, errors);
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
            Self::TooManyRequests { retry_after } => {
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
mod tests {
    use super::*;

    #[test]
    fn every_code_is_spelled_the_same_in_json_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::from(code.as_str())),
                "{code:?}"
            );
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }

    #[test]
    fn the_document_lists_every_code_the_api_can_send() {
        let schema = serde_json::to_value(<ErrorCode as utoipa::PartialSchema>::schema())
            .unwrap_or_default();
        let listed: Vec<&str> = schema["enum"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, all);
    }

    #[test]
    fn the_design_page_lists_every_code() {
        let page = include_str!("../../docs/API-DESIGN.md");
        for code in ErrorCode::ALL {
            assert!(
                page.contains(&format!("`{code}`")),
                "docs/API-DESIGN.md does not list `{code}`"
            );
        }
    }
}
