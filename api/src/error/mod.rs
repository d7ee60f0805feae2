//! One error type for the whole API, one table from error to status and stable `code`, and RFC 9457
//! `application/problem+json` out. Internal causes are logged with the request id and never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use ocf_domain::ValidationErrors;
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_id;

mod code;
mod domain;

pub use code::ErrorCode;

pub const PROBLEM_JSON: &str = "application/problem+json";

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
