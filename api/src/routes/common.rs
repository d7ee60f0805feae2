//! Pieces every aggregate's handlers share: path ids, policy areas, cached JSON bodies, sort cursors.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use ocf_domain::page::SortKey;
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::{Id, ValidationErrors};

use crate::error::ApiError;
use crate::state::AppState;

/// An id from the path; one that cannot be an id is simply "not found" (`what` names it: "proposal").
///
/// # Errors
/// [`ApiError::NotFound`].
pub fn path_id<T>(raw: &str, what: &str) -> Result<Id<T>, ApiError> {
    Id::parse(raw).map_err(|_| ApiError::NotFound(format!("{what} not found")))
}

/// The id of the policy area with `code`, or a `policy_area` field error. Blocking.
///
/// # Errors
/// [`ApiError::Validation`] for an unknown code; storage failures.
pub fn area_id(state: &AppState, code: &str) -> Result<PolicyAreaId, ApiError> {
    state.policy_areas.id_of(&state.db, code)?.ok_or_else(|| {
        ApiError::validation(
            "policy_area",
            format!("unknown policy area '{code}'; see GET /api/v1/policy-areas"),
        )
    })
}

/// Adds the field errors of `result` (a validation error) to `errors`; other errors pass through.
///
/// # Errors
/// Any error that is not a validation error.
pub fn collect<T>(
    errors: &mut ValidationErrors,
    result: Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(ApiError::Validation(v)) => {
            for f in v.errors() {
                errors.push(f.field.clone(), f.message.clone());
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A `200 OK` with an already serialised JSON body.
pub fn json_bytes(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(header::ContentType::json())
        .body(body)
}

/// A cursor key of a sorted list: `<sort>:<value>:<position>`, bound to the sort it came from.
pub fn sort_key_text(sort: &str, k: &SortKey) -> String {
    format!("{sort}:{}:{}", k.value, k.position)
}

/// Reads a key written by [`sort_key_text`] for the same `sort`.
pub fn parse_sort_key(sort: &str, key: &str) -> Option<SortKey> {
    let mut parts = key.splitn(3, ':');
    let (s, v, position) = (parts.next()?, parts.next()?, parts.next()?);
    (s == sort).then_some(())?;
    Some(SortKey {
        value: v.parse().ok()?,
        position: position.parse().ok()?,
    })
}

/// An RFC 3339 time filter.
pub fn parse_time(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
) -> Option<DateTime<Utc>> {
    let raw = raw?;
    errors.check(
        field,
        DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| "must be an RFC 3339 time such as 2026-01-01T00:00:00Z"),
    )
}
