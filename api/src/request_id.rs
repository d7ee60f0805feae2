//! `X-Request-Id` on every response (echoed when the client sent a sane one), available to error rendering
//! through a task-local, and a last line of defence that turns any non-problem error body into one.

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::error::{ErrorCode, PROBLEM_JSON, problem_response};

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, or `-` outside of one.
pub fn current() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "-".to_owned())
}

/// The request id, also stored in request extensions for handlers that want it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn accept_client_id(value: &HeaderValue) -> Option<String> {
    let s = value.to_str().ok()?;
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| s.to_owned())
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(accept_client_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // Handlers and extractors turn their errors into responses inside `next.call`, so an `Err` here is rare
    // (a middleware failing); it is passed on and rendered by its own `ResponseError`.
    let res = REQUEST_ID.scope(id.clone(), next.call(req)).await?;
    let mut response =
        REQUEST_ID.sync_scope(id.clone(), || ensure_problem(res.map_into_boxed_body()));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    Ok(response.map_into_left_body())
}

/// Marks an error response that keeps its own documented format (the OAuth token endpoint's RFC 6749
/// §5.2 errors), so the last line of defence leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct OwnErrorFormat;

/// Errors produced outside our handlers (middleware, the framework) become problem+json too.
fn ensure_problem(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    let own_format = res
        .response()
        .extensions()
        .get::<OwnErrorFormat>()
        .is_some();
    if status.as_u16() < 400 || is_problem || own_format {
        return res;
    }
    let code = generic_problem(status);
    let title = code.title();
    let (req, old) = res.into_parts();
    let mut new = problem_response(status, code, title, title.to_owned(), current(), None);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, new)
}

fn generic_problem(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        429 => ErrorCode::TooManyRequests,
        503 => ErrorCode::ServiceUnavailable,
        s if s >= 500 => ErrorCode::InternalError,
        _ => ErrorCode::BadRequest,
    }
}
